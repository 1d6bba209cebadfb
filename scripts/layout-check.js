#!/usr/bin/env node
// Layout on a phone and on paper, in Debian's Chromium driven by playwright-core: every page
// of the given sites is at most 390 CSS pixels wide in a 390-pixel window (wide tables scroll
// in their own regions), and each site's overview (its index.html), printed on A4 as a board
// paper, takes at most 6 pages.
//
//   node scripts/layout-check.js SITE_DIR [SITE_DIR ...]
//
// Exit code: 0 all fit, 1 a page is too wide or an overview too long, 2 the check itself failed.

'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const PHONE = 390;
const MAX_PAPER_PAGES = 6;

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function main() {
  const dirs = process.argv.slice(2).map((d) => path.resolve(d));
  if (dirs.length === 0) {
    console.error('usage: node scripts/layout-check.js SITE_DIR [SITE_DIR ...]');
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  let failures = 0;
  let pages = 0;
  try {
    const page = await browser.newPage({ viewport: { width: PHONE, height: 800 } });
    for (const dir of dirs) {
      for (const file of htmlFiles(dir)) {
        await page.goto('file://' + file);
        pages += 1;
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        if (width > PHONE) {
          failures += 1;
          console.error(`too wide on a phone: ${path.relative(process.cwd(), file)} is ${width}px in a ${PHONE}px window`);
        }
      }
    }
    // Each partnership's overview: the site's own index.html, or each member's in a collection.
    const overviews = dirs.flatMap((d) => htmlFiles(d).filter((f) => {
      const rel = path.relative(d, f);
      return rel === 'index.html' || /^[^/]+\/index\.html$/.test(rel) && fs.existsSync(path.join(path.dirname(f), 'priorities'));
    }));
    for (const file of overviews) {
      await page.goto('file://' + file);
      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ preferCSSPageSize: true });
      await page.emulateMedia({ media: 'screen' });
      const count = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      if (count > MAX_PAPER_PAGES) {
        failures += 1;
        console.error(`too long on paper: ${path.relative(process.cwd(), file)} prints on ${count} A4 pages (at most ${MAX_PAPER_PAGES})`);
      } else if (fs.existsSync(path.join(path.dirname(file), 'priorities'))) {
        console.log(`layout: ${path.relative(process.cwd(), file)} prints on ${count} A4 pages`);
      }
    }
  } finally {
    await browser.close();
  }
  console.log(`layout: ${pages} pages checked at ${PHONE}px, ${failures} problem(s)`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(`layout check failed: ${e.stack || e}`);
  process.exit(2);
});
