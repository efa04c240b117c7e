// Opens an embargo HTML report in headless Chromium (Debian's, never a downloaded
// one) and prints what a reviewer would see, as one JSON line, for
// cli/tests/report_browser.rs to check: console errors, requests that left the file,
// the counts shown, the worklist rows after filtering on a decision, the evidence
// highlighted for the first order, a disposition recorded for it and the allow file
// the export button downloads (written to EXPORT.emb), and a screenshot.
//
// Usage: node check-report.mjs REPORT.html SCREENSHOT.png [DECISION] [EXPORT.emb]
import { chromium } from "playwright-core";

const [file, screenshot, decision = "block", exported] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  chromiumSandbox: false,
  args: [
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
const out = { errors: [], requests: [] };
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") out.errors.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => out.errors.push(`page error: ${e}`));
  // The export is a download of text made in the page (a blob: URL), not a request.
  page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("blob:")) out.requests.push(r.url()); });
  const started = Date.now();
  await page.goto("file://" + file, { waitUntil: "load" });
  out.loadMs = Date.now() - started;
  out.counts = await page.evaluate(() => {
    const n = (id) => { const e = document.getElementById("count-" + id); return e ? Number(e.dataset.count) : null; };
    const shown = (id) => { const e = document.getElementById("count-" + id); return e ? e.textContent : null; };
    return { total: n("total"), block: n("block"), review: n("review"), clear: n("clear"), totalText: shown("total") };
  });
  out.charts = await page.locator("figure.chart svg").count();
  out.rowsAll = Number(await page.getAttribute("#row-count", "data-rows"));
  out.pageRowsAll = await page.locator("#orders tbody tr").count();
  out.pageInfoAll = await page.textContent("#page-info");
  await page.selectOption("#f-decision", decision);
  out.rowsFiltered = Number(await page.getAttribute("#row-count", "data-rows"));
  out.pageRowsFiltered = await page.locator("#orders tbody tr").count();
  out.decisionsShown = await page.$$eval("#orders tbody tr td:nth-child(2)", (tds) => [...new Set(tds.map((t) => t.textContent))]);
  await page.click("th[data-sort=score]");
  out.scoresSorted = await page.$$eval("#orders tbody tr td:nth-child(3)", (tds) => tds.map((t) => t.textContent));
  await page.locator("#orders tbody tr").first().click();
  out.detail = await page.evaluate(() => ({
    marks: [...document.querySelectorAll("#detail mark")].map((m) => m.textContent),
    basis: document.querySelectorAll("#detail .basis li").length,
    entities: document.querySelectorAll("#detail dl.entity").length,
    text: document.getElementById("detail").innerText.slice(0, 2000),
  }));
  if (await page.isEnabled("#page-next")) {
    await page.click("#page-next");
    out.page2 = await page.textContent("#page-info");
  }
  out.exportDisabled = await page.isDisabled("#export-dispositions");
  // Clear the first order's name hits, then export.
  await page.locator("#orders tbody tr").first().click();
  out.disposeForm = await page.locator("#detail .dispose").count();
  if (out.disposeForm) {
    await page.click("#d-record");
    out.refused = await page.textContent("#d-note");
    out.ticked = await page.$$eval("#detail .dispose input[type=checkbox]", (cs) => cs.map((c) => c.checked));
    for (const box of await page.locator("#detail .dispose input[type=checkbox]").all()) { await box.check(); }
    await page.fill("#d-reason", "false positive: different date of birth \"1961\"");
    await page.fill("#d-by", "r.browser");
    await page.fill("#d-until", "2099-12-31");
    await page.click("#d-record");
    out.recorded = await page.textContent("#d-note");
    out.exportLabel = await page.textContent("#export-dispositions");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-dispositions")]);
    out.exportName = download.suggestedFilename();
    if (exported) { await download.saveAs(exported); }
  }
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
