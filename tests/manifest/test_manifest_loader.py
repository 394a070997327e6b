"""The YAML loader: plain data, positions for every key and value, and safe failure modes."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from reconciler.errors import Position
from reconciler.manifest import fastload, load_project, loader
from reconciler.manifest.loader import MAX_FILE_BYTES, parse_document


def load(text: str) -> object:
    parsed = parse_document("m.yaml", text.encode())
    assert parsed.problems == []
    assert parsed.document is not None
    return parsed.document.data


def problems(raw: bytes | str) -> list[str]:
    data = raw.encode() if isinstance(raw, str) else raw
    return [str(p) for p in parse_document("m.yaml", data).problems]


def test_scalars_follow_the_yaml_1_2_core_schema() -> None:
    data = load(
        "date: 2027-01-01\nstamp: 2027-01-01T09:00:00Z\ncountry: NO\nanswer: yes\non: off\n"
        "t: true\nf: False\nn: null\ntilde: ~\nempty:\nint: 42\nneg: -7\nhex: 0x1F\noct: 0o17\n"
        "float: 1.5\nexp: 1e3\nquoted: '42'\nmoney: 150 USD\n"
    )
    assert data == {
        "date": "2027-01-01",
        "stamp": "2027-01-01T09:00:00Z",
        "country": "NO",
        "answer": "yes",
        "on": "off",
        "t": True,
        "f": False,
        "n": None,
        "tilde": None,
        "empty": None,
        "int": 42,
        "neg": -7,
        "hex": 31,
        "oct": 15,
        "float": 1.5,
        "exp": 1000.0,
        "quoted": "42",
        "money": "150 USD",
    }


def test_every_key_and_value_has_a_one_based_position() -> None:
    parsed = parse_document("m.yaml", b"# comment\na:\n  - x: 1\n    y: [2, 3]\n")
    doc = parsed.document
    assert doc is not None
    assert doc.values[()] == Position("m.yaml", 2, 1)
    assert doc.keys[("a",)] == Position("m.yaml", 2, 1)
    assert doc.values[("a", 0)] == Position("m.yaml", 3, 5)
    assert doc.keys[("a", 0, "y")] == Position("m.yaml", 4, 5)
    assert doc.values[("a", 0, "y", 1)] == Position("m.yaml", 4, 12)


def test_columns_count_characters_not_bytes() -> None:
    doc = parse_document("m.yaml", "name: Café — été\nnext: x\nn2: {k: ü, v: 1}\n".encode()).document
    assert doc is not None
    assert doc.values[("n2", "v")] == Position("m.yaml", 3, 15)


def test_a_byte_order_mark_is_ignored() -> None:
    assert parse_document("m.yaml", b"\xef\xbb\xbfa: 1\n").document is not None


def test_duplicate_keys_are_reported_at_the_duplicate_and_the_first_value_kept() -> None:
    parsed = parse_document("m.yaml", b"a: 1\nb:\n  c: 2\n  c: 3\n")
    assert [str(p) for p in parsed.problems] == [
        "m.yaml:4:3: b.c: duplicate key 'c' (first at line 3, column 3); "
        "YAML would silently keep only the last one"
    ]
    assert parsed.document is not None and parsed.document.data == {"a": 1, "b": {"c": 2}}
    assert ("b", "c") in parsed.reported


def test_merge_keys_merge_with_explicit_keys_winning() -> None:
    data = load("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  y: 3\nd: {<<: [{z: 0}, *b]}\n")
    assert data == {"base": {"x": 1, "y": 2}, "c": {"y": 3, "x": 1}, "d": {"z": 0, "x": 1, "y": 2}}


def test_aliases_expand_to_plain_copies() -> None:
    assert load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_a_billion_laughs_fails_fast_with_a_clear_message() -> None:
    lines = ['l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 10)]
    started = time.perf_counter()
    found = problems("\n".join(lines) + "\n")
    assert time.perf_counter() - started < 5  # milliseconds in practice
    assert found == [
        "m.yaml:5:1: l4: YAML aliases expand to more than 50,000 values (an alias bomb?); "
        "use 'audiences' and 'defaults' for reuse instead"
    ]


def test_a_merge_key_bomb_is_bounded_too() -> None:
    lines = ["m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"]
    lines += [
        f"m{i}: &m{i} {{<<: *m{i - 1}, {', '.join(f'k{k}: *m{i - 1}' for k in range(10))}}}"
        for i in range(1, 9)
    ]
    found = problems("\n".join(lines) + "\n")
    assert len(found) == 1 and "alias bomb" in found[0]


def test_recursive_alias() -> None:
    assert problems("a: &a [1, *a]\n") == [
        "m.yaml:1:4: a[1]: this alias refers to a value that contains it (a recursive alias)"
    ]


def test_deep_nesting_is_refused() -> None:
    found = problems("a: " + "[" * 150 + "]" * 150 + "\n")
    assert len(found) == 1 and "nests deeper than 100 levels" in found[0]


def test_very_deep_nesting_does_not_crash() -> None:
    found = problems("a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert found == ["m.yaml:1:203: the YAML nests too deeply to be read"]  # where it passes 200 levels


def test_how_deep_a_file_may_nest_does_not_depend_on_the_callers_stack() -> None:
    # The pure-Python reader (a tab) composes recursively; past 200 levels a file is refused before
    # composing, at the same place however deep the caller's stack is (this process or the child).
    text = 'a: "x\ty"\nb: ' + "[" * 470 + "]" * 470 + "\n"

    def nested(levels: int) -> list[str]:
        return nested(levels - 1) if levels else problems(text)

    expected = ["m.yaml:2:203: the YAML nests too deeply to be read"]
    assert nested(0) == expected
    assert nested(150) == expected


def test_unsupported_tags_are_refused_and_never_constructed() -> None:
    assert problems("a: !!python/name:os.system x\nb: !!binary aGk=\nc: !custom 1\nd: !!str 12\n") == [
        "m.yaml:1:4: a: unsupported YAML tag '!!python/name:os.system'",
        "m.yaml:2:4: b: unsupported YAML tag '!!binary'",
        "m.yaml:3:4: c: unsupported YAML tag '!custom'",
    ]


def test_an_explicit_standard_tag_that_does_not_fit_its_value() -> None:
    assert problems("a: !!int twelve\n") == ["m.yaml:1:4: a: 'twelve' is not a valid int"]


def test_complex_keys_are_refused() -> None:
    assert problems("? [a, b]\n: 1\n") == [
        "m.yaml:1:3: mapping keys must be plain names, not lists or mappings"
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"a: 1\n\x00", "m.yaml:2:1: binary file (NUL byte found); manifests are UTF-8 text"),
        (b"a: caf\xe9\n", "m.yaml:1:7: invalid UTF-8 (byte 0xe9); manifests must be UTF-8 text"),
        (b"a: \x07\n", "m.yaml:1:4: unacceptable character #x0007: control characters are not allowed"),
        (b"a:\n\tb: 1\n", "m.yaml:2:1: tab character in indentation; YAML indents with spaces only"),
        (
            b"a: 1\n---\nb: 2\n",
            "m.yaml:2:1: a manifest file holds one YAML document; move this one to a file of its own",
        ),
        (b"", "m.yaml:1:1: the file is empty; a manifest starts with 'version: 1'"),
        (b"a: b: c\n", "m.yaml:1:5: invalid YAML: mapping values are not allowed here"),
        (
            b"a:\n  - 1\n b: 2\n",
            "m.yaml:3:2: invalid YAML: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block mapping at line 1, column 1); check the indentation",
        ),
    ],
)
def test_unreadable_files_get_one_clear_problem(raw: bytes, expected: str) -> None:
    parsed = parse_document("m.yaml", raw)
    assert parsed.document is None
    assert [str(p) for p in parsed.problems] == [expected]


def test_files_over_ten_megabytes_are_refused() -> None:
    found = problems(b"#" * (MAX_FILE_BYTES + 1))
    assert found == ["m.yaml:1:1: the file is 10.0 MB; manifests may be at most 10 MB"]


# -- the fast path's places, found only when asked for ------------------------------------------

EXAMPLE_FILES = sorted((Path(__file__).parents[2] / "examples").rglob("*.yaml"))


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.name)
def test_fast_path_data_and_places_equal_the_node_graphs(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    fast = parse_document("m.yaml", raw).document
    monkeypatch.setattr(loader, "_libyaml_reads", lambda text: False)  # the pure-Python node graph
    slow = parse_document("m.yaml", raw).document
    assert fast is not None and slow is not None
    assert fast.data == slow.data
    assert dict(fast.values) == dict(slow.values)
    assert dict(fast.keys) == dict(slow.keys)


def _count_place_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files whose places get read (with positions), in order, from now on."""
    reads: list[str] = []
    real = fastload.parse_direct

    def counted(file: str, text: str, max_depth: int) -> object:
        reads.append(file)
        return real(file, text, max_depth)

    monkeypatch.setattr(fastload, "parse_direct", counted)
    return reads


def test_places_of_a_valid_file_are_found_once_and_only_when_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = _count_place_reads(monkeypatch)
    doc = parse_document("m.yaml", b"a:\n  - x: 1\n    y: [2, 3]\n").document
    assert doc is not None and doc.data == {"a": [{"x": 1, "y": [2, 3]}]}
    assert reads == []
    assert doc.values[("a", 0, "y", 1)] == Position("m.yaml", 3, 12)
    assert doc.keys[("a", 0, "y")] == Position("m.yaml", 3, 5)
    assert doc.position(("a", 0, "z")) == Position("m.yaml", 2, 5)
    assert reads == ["m.yaml"]


def test_a_valid_project_reads_no_places_until_a_resource_position_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = _count_place_reads(monkeypatch)
    quickstart = Path(__file__).parents[2] / "examples" / "quickstart"
    state = load_project([quickstart])
    assert reads == []
    position = state.positions[("500000001", "Q1 2027 Brand")]
    assert (Path(position.file).name, position.line, position.column) == ("q1-brand.yaml", 10, 5)
    assert [Path(f).name for f in reads] == ["q1-brand.yaml"]


SHAPES = [
    "a: 1\nb: '1'\nc: \"1\"\nd: 1.0\ne: true\nf: 'true'\ng: null\nh: ~\ni: 0x1F\nj: 0o17\nk: .inf\n",
    "a: [1, '1', x, 'x', [true, 'true']]\nb: {c: 1, d: '1'}\n",
    "a:\n  - x: |\n      two\n      lines\n  - y: >\n      folded\n",
    "'<<': 1\nb: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a:\nb: 1\n",
    "a: ''\nb: \"\"\n",
    "--- 1\n--- 2\n",
    "a: 1\na: 2\n",
    "<<: {a: 1}\nb: 2\n",
    "k: " + "[" * 99 + "1" + "]" * 99 + "\n",
    "k: " + "[" * 100 + "1" + "]" * 100 + "\n",
    "k: " + "{a: " * 99 + "1" + "}" * 99 + "\n",
    "k: " + "{a: " * 100 + "1" + "}" * 100 + "\n",
    "? [1, 2]\n: x\n",
    "a: 2027-01-01\nb: NO\nc: +1\nd: -.5e3\n",
]


@pytest.mark.parametrize("text", SHAPES)
def test_fast_path_reads_every_shape_like_the_node_graph(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = parse_document("m.yaml", text.encode())
    monkeypatch.setattr(loader, "_libyaml_reads", lambda text: False)
    slow = parse_document("m.yaml", text.encode())
    assert [str(p) for p in fast.problems] == [str(p) for p in slow.problems]
    assert (fast.document is None) == (slow.document is None)
    if fast.document is not None and slow.document is not None:
        assert repr(fast.document.data) == repr(slow.document.data)  # repr: 1 and True differ
        assert dict(fast.document.values) == dict(slow.document.values)
