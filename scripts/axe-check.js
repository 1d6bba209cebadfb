#!/usr/bin/env node
// Runs axe-core over every page of one or more built sites, in Debian's Chromium driven by
// playwright-core (no browser download), and fails on any WCAG 2.2 A/AA violation or on any
// request that leaves the site (a page must never fetch from the network).
//
//   node scripts/axe-check.js SITE_DIR [SITE_DIR ...]
//
// Exit code: 0 no violations, 1 violations or outside requests, 2 the check itself failed.

'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function htmlFiles(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.html')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

async function main() {
  const dirs = process.argv.slice(2);
  if (dirs.length === 0) {
    console.error('usage: node scripts/axe-check.js SITE_DIR [SITE_DIR ...]');
    process.exit(2);
  }
  const pages = [];
  for (const d of dirs) {
    if (!fs.statSync(d, { throwIfNoEntry: false })?.isDirectory()) {
      console.error(`error: ${d}: not a folder`);
      process.exit(2);
    }
    pages.push(...htmlFiles(path.resolve(d)));
  }
  if (pages.length === 0) {
    console.error('error: no .html files found');
    process.exit(2);
  }

  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'panelaudit-axe-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    javaScriptEnabled: true,
  });
  let violations = 0;
  let outside = 0;
  const started = Date.now();
  try {
    const page = await context.newPage();
    // Any request other than a local file is a failure: the site must make none.
    const leaks = [];
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file://')) return route.continue();
      leaks.push(url);
      return route.abort();
    });
    for (const file of pages) {
      leaks.length = 0;
      await page.goto('file://' + file, { waitUntil: 'load' });
      await page.addScriptTag({ content: axeSource });
      const result = await page.evaluate(
        async (tags) => await window.axe.run(document, { runOnly: { type: 'tag', values: tags } }),
        TAGS,
      );
      const shown = path.relative(process.cwd(), file);
      const n = result.violations.length;
      violations += n;
      if (n > 0 || leaks.length > 0) {
        console.log(`${shown}: ${n} violation(s)`);
      }
      for (const v of result.violations) {
        const targets = v.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(' | ');
        console.log(`  [${v.impact}] ${v.id}: ${v.help} (${v.nodes.length} node(s)): ${targets}`);
      }
      for (const url of leaks) {
        outside += 1;
        console.log(`  outside request: ${url}`);
      }
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `axe (${TAGS.join(', ')}): ${pages.length} page(s), ${violations} violation(s), ${outside} outside request(s), ${seconds} s`,
  );
  process.exit(violations > 0 || outside > 0 ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(2);
});
