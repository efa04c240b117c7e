"""Arrow: orders_to_arrow and screen_arrow round trips, Parquet shared with the command."""

import json

import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet as pq

import embargo

from conftest import ROOT, decision_of_row, generated, json_lines, run_cli

EXAMPLE = ROOT / "examples" / "data" / "orders.jsonl"


def example_orders() -> list:
    return json_lines(EXAMPLE.read_text())


def test_orders_to_arrow_has_the_flat_layout():
    table = embargo.orders_to_arrow(example_orders())
    assert isinstance(table, pa.Table)
    assert table.num_rows == len(example_orders())
    assert table.column_names[0] == "id"
    assert {"party_name", "party_country", "goods_description", "goods_value", "destination", "via"} <= set(
        table.column_names
    )
    assert table.schema.field("party_name").type == pa.list_(pa.string())
    assert table.schema.field("goods_value").type == pa.list_(pa.float64())
    assert embargo.orders_to_arrow([]).num_rows == 0


def test_screen_arrow_rows_equal_screen(screener):
    orders = example_orders()
    decisions = screener.screen_arrow(embargo.orders_to_arrow(orders))
    assert isinstance(decisions, pa.Table)
    assert decisions.column_names[:2] == ["id", "decision"]
    assert {"ruleset", "hits", "rule", "rules", "entities", "categories", "top_score"} <= set(decisions.column_names)
    expected = [screener.screen(o) for o in orders]
    assert [decision_of_row(decisions, i) for i in range(decisions.num_rows)] == expected
    for i, d in enumerate(expected):
        row = decisions.slice(i, 1).to_pylist()[0]
        assert row["rules"] == list(dict.fromkeys(h["rule"] for h in d["hits"]))
        assert row["entities"] == list(dict.fromkeys(h["entity"] for h in d["hits"] if "entity" in h))
        assert json.loads(row["hits"]) == d["hits"]


def test_batches_readers_and_plain_tables_keep_input_order(screener, gen_orders):
    orders = generated(gen_orders, 600, seed=11)
    table = embargo.orders_to_arrow(orders)
    whole = screener.screen_arrow(table)
    # Many small batches, screened in parallel, come back in input order.
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=37))
    assert chunked.num_rows == 600 and len(chunked.to_batches()) > 10
    assert screener.screen_arrow(chunked).equals(whole)
    one = screener.screen_arrow(table.to_batches()[0])
    assert one.equals(whole.slice(0, one.num_rows))
    reader = pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=100))
    assert screener.screen_arrow(reader).equals(whole)
    assert screener.screen_arrow(table, threads=1).equals(whole)
    assert whole.column("id").to_pylist() == [o["id"] for o in orders]
    empty = screener.screen_arrow(table.slice(0, 0))
    assert empty.num_rows == 0


def test_csv_like_text_columns_read_as_csv(screener, cli, tmp_path):
    """A table as a CSV file converted by pyarrow has it: text columns, `;` lists."""
    csv = tmp_path / "orders.csv"
    csv.write_text(
        "id,buyer_name,buyer_country,goods_description,goods_hs,goods_value,destination,via\n"
        "C1,Korea Kwangson Banking Corp,KP,rice,1006.30,1000,KP,\n"
        'C2,Lyon Spirits SARL,FR,"Hennessy XO cognac; Rolex watch","2208.20;9101.11","96000;5,000",CN,"Dalian;Dandong"\n'
    )
    table = pa.csv.read_csv(csv, convert_options=pa.csv.ConvertOptions(column_types={"goods_hs": pa.string()}))
    expected = json_lines(run_cli(cli, "screen", csv).stdout)
    got = screener.screen_arrow(table)
    assert [decision_of_row(got, i) for i in range(got.num_rows)] == expected


def test_parquet_files_are_shared_with_the_command(screener, cli, tmp_path):
    orders = example_orders()
    path = tmp_path / "orders.parquet"
    pq.write_table(embargo.orders_to_arrow(orders), path)
    out = tmp_path / "decisions.parquet"
    run_cli(cli, "screen", path, "-o", out)
    from_cli = pq.read_table(out)
    from_python = screener.screen_arrow(pq.read_table(path))
    assert from_cli.column_names == from_python.column_names
    assert from_cli.to_pylist() == from_python.to_pylist()
    jsonl = json_lines(run_cli(cli, "screen", EXAMPLE).stdout)
    assert [decision_of_row(from_cli, i) for i in range(from_cli.num_rows)] == jsonl
