"""One Screener shared by threads: the same decisions as one thread makes."""

from concurrent.futures import ThreadPoolExecutor

import embargo

from conftest import generated


def test_one_screener_shared_by_threads(screener, gen_orders):
    orders = generated(gen_orders, 800, seed=3)
    alone = [screener.screen(o) for o in orders]
    table = embargo.orders_to_arrow(orders)
    alone_arrow = screener.screen_arrow(table)

    def work(k: int):
        mine = orders[k::8]
        dicts = [screener.screen(o) for o in mine]
        names = [screener.match(o["parties"][0]["name"]) for o in mine[:20] if o.get("parties")]
        arrow = screener.screen_arrow(table.slice(k * 100, 100))
        return k, dicts, names, arrow

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for k, dicts, names, arrow in results:
        assert dicts == alone[k::8]
        assert arrow.equals(alone_arrow.slice(k * 100, 100))
        assert all(isinstance(n, list) for n in names)
