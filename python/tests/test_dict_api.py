"""The dict API: screen, match, classify, compare, as the command answers them."""

import json

import embargo

from conftest import MINI, ROOT, json_lines, run_cli

LEXUS_TO_NAMPO = {
    "id": "PO-1",
    "parties": [{"role": "buyer", "name": "Korea Kwangson Banking Corp", "country": "KP"}],
    "goods": [{"description": "Lexus LX570 SUV", "hs": "8703.24", "value": 98000, "currency": "USD"}],
    "route": {"origin": "CN", "destination": "Nampo"},
}


def test_screen_gives_the_decision_line(screener):
    d = screener.screen(LEXUS_TO_NAMPO)
    assert d["id"] == "PO-1"
    assert d["decision"] == "block"
    assert d["ruleset"] == screener.ruleset
    assert d["ruleset"].startswith("sha256:")
    assert {h["rule"] for h in d["hits"]}
    assert all("basis" in h for h in d["hits"])
    assert set(d) >= {"id", "decision", "hits", "ruleset", "order_hash", "engine", "settings", "lists"}
    assert d["order_hash"].startswith("sha256:") and len(d["order_hash"]) == 71


def test_screen_equals_the_command_on_the_example_orders(screener, cli):
    path = ROOT / "examples" / "data" / "orders.jsonl"
    expected = json_lines(run_cli(cli, "screen", path).stdout)
    orders = json_lines(path.read_text())
    assert [screener.screen(o) for o in orders] == expected


def test_match_classify_compare_equal_the_command(screener, cli):
    hits = screener.match("Kim Jong Un", kind="person", country="KP", limit=5)
    assert hits and hits[0]["score"] >= 0.9
    line = run_cli(cli, "match", "--kind", "person", "--country", "KP", "--limit", "5", "Kim Jong Un")
    assert json_lines(line.stdout)[0]["hits"] == hits

    cats = screener.classify("Lexus LX570 SUV", hs="8703.24", value=98000, currency="USD")
    assert any("luxury" in c["tags"] for c in cats)
    out = run_cli(cli, "classify", "--hs", "8703.24", "--value", "98000", "--currency", "USD", "Lexus LX570 SUV")
    assert json_lines(out.stdout)[0]["categories"] == cats

    score = embargo.compare("Kim Jong Un", "KIM, Jong Un")
    assert 0.9 <= score <= 1.0
    assert float(run_cli(cli, "compare", "Kim Jong Un", "KIM, Jong Un").stdout) == score
    assert embargo.compare("Kim Jong Un", "Lyon Spirits SARL", kind="any") < 0.5


def test_rules_and_add_rules(screener, tmp_path):
    mini = embargo.Screener(rules=[MINI])
    assert mini.ruleset != screener.ruleset
    assert mini.screen(LEXUS_TO_NAMPO)["ruleset"] == mini.ruleset
    assert embargo.Screener(rules=str(MINI)).ruleset == mini.ruleset
    extra = tmp_path / "extra.emb"
    extra.write_text(
        "set countries test_places = VN\n"
        'rule test_to_vietnam { basis "test" when destination in test_places then review "Shipped to Viet Nam" }\n'
    )
    added = embargo.Screener(add_rules=[extra])
    assert added.ruleset not in (mini.ruleset, screener.ruleset)
    order = {"id": "V1", "goods": [{"description": "ball bearings"}], "route": {"destination": "VN"}}
    assert screener.screen(order)["decision"] == "clear"
    d = added.screen(order)
    assert d["decision"] == "review"
    assert [h["rule"] for h in d["hits"]] == ["test_to_vietnam"]


def test_decisions_are_plain_json_data(screener):
    d = screener.screen(LEXUS_TO_NAMPO)
    assert json.loads(json.dumps(d)) == d
