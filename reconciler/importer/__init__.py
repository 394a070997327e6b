"""Import: write manifests for an ad account that already exists.

    live = read_accounts(client, [account_id])[account_id]
    result = build_manifests(live, ImportOptions(groups=("Brand — H1 2027",)))
    write_files(Path("manifests"), result.files)

Modules: ``build`` (live account -> manifest texts, what was skipped), ``documents`` (entities ->
manifest mappings in reference key order), ``audiences`` (repeated targeting -> named audiences),
``naming`` (file stems, audience and entity names), ``yamlout`` (deterministic YAML), ``files``
(writing without overwriting), ``verify`` (what was written is valid and plans to no change). The
package reads nothing from the network itself: the CLI reads the live account and hands it over.
(``import`` is a keyword, hence the name.)
"""

from reconciler.importer.build import SCHEMA_FILE, ImportedFile, ImportOptions, ImportResult, build_manifests
from reconciler.importer.files import schema_file, schema_reference, write_files
from reconciler.importer.verify import Verification, verify

__all__ = [
    "SCHEMA_FILE",
    "ImportOptions",
    "ImportResult",
    "ImportedFile",
    "Verification",
    "build_manifests",
    "schema_file",
    "schema_reference",
    "verify",
    "write_files",
]
