"""Generated orders: the package decides as the command does, by dict and by Arrow."""

import json

from conftest import decision_of_row, generated, json_lines, run_cli

import embargo


def test_generated_orders_equal_the_command(screener, cli, gen_orders, tmp_path):
    orders = generated(gen_orders, 3000, seed=5)
    path = tmp_path / "orders.jsonl"
    path.write_text("".join(json.dumps(o) + "\n" for o in orders))
    expected = json_lines(run_cli(cli, "screen", path).stdout)
    assert len(expected) == len(orders)
    assert {d["decision"] for d in expected} >= {"clear", "block"}

    assert [screener.screen(o) for o in orders] == expected
    table = screener.screen_arrow(embargo.orders_to_arrow(orders))
    assert [decision_of_row(table, i) for i in range(table.num_rows)] == expected
