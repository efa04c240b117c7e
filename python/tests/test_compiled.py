"""Screeners from compiled rules: the embedded artifact and an `embargo compile` file
screen as the rule text does."""

import embargo

from conftest import ROOT, generated, run_cli


def test_embedded_artifact_and_compiled_file_equal_the_text(screener, cli, gen_orders, tmp_path):
    artifact = tmp_path / "rules.embc"
    run_cli(cli, "compile", "-o", artifact)
    from_file = embargo.Screener(rules=[artifact])
    from_text = embargo.Screener(rules=[ROOT / "rules"])
    assert screener.ruleset == from_file.ruleset == from_text.ruleset

    table = embargo.orders_to_arrow(generated(gen_orders, 300, seed=11))
    expected = from_text.screen_arrow(table)
    assert screener.screen_arrow(table).equals(expected)
    assert from_file.screen_arrow(table).equals(expected)
    assert expected.column("decision").to_pylist().count("clear") < table.num_rows


def test_a_compiled_file_is_a_whole_ruleset(tmp_path):
    artifact = tmp_path / "rules.embc"
    artifact.write_bytes(b"not an artifact")
    try:
        embargo.Screener(rules=[artifact])
    except embargo.RulesError as e:
        assert "rules.embc" in str(e)
    else:
        raise AssertionError("a broken artifact was loaded")
