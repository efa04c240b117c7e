"""Type stubs of the native module ``embargo._embargo`` (re-exported by ``embargo``)."""

import os
from typing import Any, Dict, Iterable, List, Optional, Sequence, Union

import pyarrow

__version__: str

_Path = Union[str, "os.PathLike[str]"]
_Paths = Union[_Path, Sequence[_Path]]

class RulesError(Exception):
    """Rules that cannot be loaded or cannot decide.

    The message holds every diagnostic, each located ``FILE:LINE:COL`` with the
    offending line and a caret, as ``embargo check`` prints them.
    """

class Screener:
    """A sanctions screener: compiled rules, their name index and goods classifier.

    ``Screener()`` uses the rules embedded in the package; ``rules=`` loads exactly
    the given files and folders (folders are read recursively for ``*.emb``), and
    ``add_rules=`` the embedded rules plus those (a list declared there replaces the
    embedded list of the same name), as the command's ``--rules`` and ``--add-rules``.
    Raises ``RulesError`` when the rules cannot be loaded or cannot decide.

    Building one takes a couple of seconds (the name index); build it once and share
    it: every method releases the GIL and may be called from any number of threads.
    """

    def __init__(self, rules: Optional[_Paths] = None, add_rules: Optional[_Paths] = None) -> None: ...
    @property
    def ruleset(self) -> str:
        """The ruleset's content hash (``sha256:...``), as each decision's ``ruleset``."""
    def screen(self, order: Dict[str, Any]) -> Dict[str, Any]:
        """Screens one order (a dict shaped as a ``screen`` JSON line).

        Returns the decision as ``embargo screen`` writes it: ``id``, ``decision``
        (``clear``, ``review`` or ``block``), ``hits`` (each with its ``rule``,
        ``kind``, ``field`` and evidence), ``ruleset``, ``engine``, ``settings`` and
        ``lists``. Raises ``ValueError`` naming the field for an order that cannot be
        screened (an unknown field such as ``parties[0].full_name``, a value that is
        not a number, an order with nothing to screen) and ``TypeError`` when
        ``order`` is not a dict.
        """
    def match(
        self,
        name: str,
        kind: Optional[str] = None,
        country: Optional[str] = None,
        limit: Optional[int] = None,
        threshold: Optional[float] = None,
    ) -> List[Dict[str, Any]]:
        """The listed entities ``name`` matches, by descending score, as ``embargo match``.

        ``kind``: ``person``, ``organization``, ``vessel``, ``aircraft`` or ``any``;
        ``country``: the party's country (a soft signal); ``limit`` (1 to 1000,
        default 10) and ``threshold`` (0 to 1, default 0.8; 0 returns the best
        ``limit`` whatever their score). Each hit: ``entity``, ``name``, ``score``,
        ``kind``, ``lists`` and, when known, ``also``, ``programs``, ``explanation``.
        """
    def classify(
        self,
        description: Optional[str],
        hs: Optional[Union[str, int]] = None,
        value: Optional[float] = None,
        currency: Optional[str] = None,
        quantity: Optional[float] = None,
    ) -> List[Dict[str, Any]]:
        """The goods categories a line falls in, as ``embargo classify``.

        Each: ``id``, ``title``, ``tags`` (``luxury``, ``export-ban``, ...), ``basis``
        and ``evidence`` (``kind`` ``term`` or ``hs``, ``text``, ``start``, ``end``).
        Raises ``ValueError`` without a description or HS code, or for a negative value.
        """
    def screen_arrow(
        self,
        data: Union[pyarrow.Table, pyarrow.RecordBatch, pyarrow.RecordBatchReader],
        threads: Optional[int] = None,
    ) -> pyarrow.Table:
        """Screens a table of orders in the flat column layout (see ``orders_to_arrow``).

        The columns are read through the Arrow C data interface without copying; the
        rows are screened in parallel with the GIL released, on every core, or on
        ``threads`` threads (1 where the caller already runs one task per core, as
        Spark does). Returns one row per order, in input order, with the columns
        ``id``, ``decision``, ``rule`` (the first rule that made the decision),
        ``rules``, ``entities``, ``categories`` (lists), ``top_score``, ``ruleset``,
        ``hits`` (JSON text), ``allowed`` (JSON text or null), ``engine``,
        ``settings`` and ``lists`` (JSON text): every ``screen`` JSON line can be
        rebuilt from its row.

        All or nothing: raises ``ValueError`` naming the row (from 1) and field of
        the first order that cannot be read, or the column that is not of the layout.
        """

def compare(a: str, b: str, kind: Optional[str] = None) -> float:
    """The similarity of two names in [0, 1], as ``embargo compare`` and every hit score."""

def orders_to_arrow(orders: Iterable[Dict[str, Any]]) -> pyarrow.Table:
    """Order dicts as a ``pyarrow.Table`` in the flat column layout of CSV orders.

    Columns: ``id``; ``party_role``, ``party_name``, ``party_country``,
    ``party_address``, ``party_dob``, ``party_nationality``, ``party_identifiers``
    (lists aligned by position, identifiers written ``TYPE:VALUE|...``);
    ``goods_description``, ``goods_hs``, ``goods_quantity``, ``goods_value``,
    ``goods_currency`` (lists); ``origin``, ``destination``, ``via`` (a list),
    ``vessel``, ``imo``. ``Screener.screen_arrow`` and ``embargo screen FILE.parquet``
    read it back to the same orders. Each order is validated as ``Screener.screen``
    validates it: ``ValueError`` names the order (``orders[3] (order PO-4)``) and
    the field.
    """
