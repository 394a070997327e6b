"""Business rules of the Advertising API (reference §3, §4, §6), one module per entity kind.

Each kind module validates a create body or a patch against the current entity and returns the
entity to store; it collects every problem before answering (one 400 carrying all of them).
Rules read other entities through ``Ctx.store`` but never write: the resource layer stores.
"""
