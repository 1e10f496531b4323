// Drives Debian's Chromium (headless, through puppeteer-core) to the page of .ci/browser/server.mjs and prints, as
// JSON, what the page's crmChecks() found on the allowed origin and crmRefused() on one the service does not allow.
// Usage: node drive.mjs <chromium> <service base URL> <allowed page URL> <other page URL>; the API key in CRM_API_KEY.
import { createRequire } from 'node:module';

// puppeteer-core is installed in .ci/tools, with the other CI tools
const puppeteer = createRequire(new URL('../tools/package.json', import.meta.url))('puppeteer-core');

const [chromium, api, allowedPage, otherPage] = process.argv.slice(2);
const key = process.env.CRM_API_KEY;

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  // root on CI machines has no user namespace sandbox; /dev/shm may be small in containers
  args: ['--no-sandbox', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  page.on('console', (m) => console.error(`[page ${m.type()}] ${m.text()}`));
  await page.goto(allowedPage, { waitUntil: 'load' });
  const results = await page.evaluate((a, k) => crmChecks(a, k), api, key);
  await page.goto(otherPage, { waitUntil: 'load' });
  results.otherOrigin = await page.evaluate((a, k) => crmRefused(a, k), api, key);
  console.log(JSON.stringify(results));
} finally {
  await browser.close();
}
