"""Errors: rules that cannot load, orders and tables that cannot be read."""

import pyarrow as pa
import pytest

import embargo

from conftest import ROOT

DIAGNOSTICS = ROOT / "tests" / "fixtures" / "rules" / "diagnostics"


def test_invalid_rules_raise_rules_error_with_located_diagnostics():
    with pytest.raises(embargo.RulesError) as e:
        embargo.Screener(add_rules=[DIAGNOSTICS / "references.emb"])
    message = str(e.value)
    assert "references.emb:16:17: error: unknown category `luxury_vehicle`" in message
    assert "did you mean `luxury_vehicles`?" in message
    assert "references.emb:23:8: error: unknown decision `blok`" in message
    assert isinstance(e.value, Exception)


def test_missing_rules_and_bad_arguments():
    with pytest.raises(embargo.RulesError, match="no-such-rules"):
        embargo.Screener(rules=["/no-such-rules"])
    with pytest.raises(ValueError, match="not both"):
        embargo.Screener(rules=["a"], add_rules=["b"])
    with pytest.raises(TypeError):
        embargo.Screener(rules=[1])


def test_a_bad_order_names_its_field(screener):
    cases = [
        ({"id": "A", "goods": [{"description": "cognac", "value": "ten"}]}, "goods[0].value"),
        ({"id": "A", "parties": [{"full_name": "Kim"}]}, "parties[0].full_name"),
        ({"id": "A", "goods": [{"description": "cognac", "value": float("nan")}]}, "goods[0].value"),
        ({"id": "A", "route": {"via": [object()]}}, "route.via[0]"),
        ({"id": "A", "parties": [{"name": "Acme"}], "goods": [{"value": 10}]}, "goods[0]"),
    ]
    for order, field in cases:
        with pytest.raises(ValueError) as e:
            screener.screen(order)
        assert field in str(e.value), (order, str(e.value))
    with pytest.raises(TypeError, match="an order is a dict"):
        screener.screen(["not", "a", "dict"])


def test_orders_to_arrow_names_the_order(screener):
    good = {"id": "A", "route": {"destination": "KP"}}
    bad = {"id": "B", "goods": [{"description": "x", "quantity": "many"}]}
    with pytest.raises(ValueError, match=r"orders\[1\] \(order B\): goods\[0\]\.quantity"):
        embargo.orders_to_arrow([good, bad])


def test_tables_that_are_not_the_layout_are_refused(screener):
    with pytest.raises(ValueError, match=r"unknown column `destinaton`: did you mean `destination`\?"):
        screener.screen_arrow(pa.table({"id": ["A"], "destinaton": ["KP"]}))
    with pytest.raises(ValueError, match="no `id` column"):
        screener.screen_arrow(pa.table({"destination": ["KP"]}))
    with pytest.raises(ValueError, match="column `destination` has type"):
        screener.screen_arrow(pa.table({"id": ["A"], "destination": pa.array([None], pa.date32())}))
    with pytest.raises(TypeError, match="pyarrow Table or RecordBatch"):
        screener.screen_arrow({"id": ["A"]})


def test_a_row_that_cannot_be_read_fails_the_call_naming_it(screener):
    table = pa.table(
        {
            "id": ["A", "B", "C"],
            "goods_description": ["cognac", "cognac", "cognac"],
            "goods_value": ["10", "1,000", "ten"],
        }
    )
    with pytest.raises(ValueError, match=r"row 3 \(order C\): goods\[0\]\.value `ten` is not a number"):
        screener.screen_arrow(table)
    with pytest.raises(ValueError, match="threads must be 1 or more"):
        screener.screen_arrow(table.slice(0, 2), threads=0)
