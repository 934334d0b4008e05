"""Table structure: the kind of every column, and the rules every training row keeps.

Found at fit (:mod:`.discovery`), shown as a :class:`~.schema.TableSchema`, and enforced
by construction (:mod:`.structure`): the model sees the free columns only, and the
dependent ones are derived from them on the way out.
"""
