// The static origin of .ci/browser.sh: serves this folder's page and graphql-ws's browser build on 127.0.0.1:$PAGE_PORT,
// another origin than the service's, so every call the page makes is a cross-origin one.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const files = {
  '/': [here + 'index.html', 'text/html; charset=utf-8'],
  '/app.js': [here + 'app.js', 'text/javascript; charset=utf-8'],
  '/graphql-ws.js': [here + '../tools/node_modules/graphql-ws/umd/graphql-ws.min.js', 'text/javascript; charset=utf-8'],
};

const port = Number(process.env.PAGE_PORT);
createServer(async (req, res) => {
  const file = files[new URL(req.url, 'http://page').pathname];
  if (!file) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': file[1], 'Cache-Control': 'no-store' }).end(await readFile(file[0]));
}).listen(port, '127.0.0.1', () => console.log(`page on http://127.0.0.1:${port}/`));
