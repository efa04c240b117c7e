"""embargo: sanctions screening of orders, names and goods (DPRK luxury-goods ban).

A thin shell over the Rust library that the ``embargo`` command is built on: the same
rules, the same decisions, byte for byte.

>>> import embargo
>>> s = embargo.Screener()                       # the rules embedded in the package
>>> d = s.screen({"id": "PO-1", "route": {"destination": "North Korea"},
...               "goods": [{"description": "Lexus LX570 SUV", "hs": "8703.24"}]})
>>> d["decision"]
'block'

``Screener`` is safe to share between threads (its calls release the GIL); build one
and keep it, as building it takes a couple of seconds.
"""

from embargo._embargo import RulesError, Screener, __version__, compare, orders_to_arrow

__all__ = ["RulesError", "Screener", "compare", "orders_to_arrow", "__version__"]
