const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { petstoreContractPath, sha256Of, UPSTREAM } = require('./petstore-contract');

const DOCUMENT = 'openapi: 3.0.4\ninfo: { title: Swagger Petstore - OpenAPI 3.0, version: 1.0.27-SNAPSHOT }\n';
const upstream = { url: 'https://example.test/openapi.yaml', sha256: sha256Of(DOCUMENT) };

describe('petstoreContractPath', () => {
  let directory;
  let sharedPath;
  let cachePath;
  const fetched = [];

  /** A fetch that answers `body` (or fails with `error`) and records what was asked for. */
  const fetchAnswering =
    ({ body, status = 200, error }) =>
    async (url) => {
      fetched.push(url);
      if (error) throw error;
      return new Response(body, { status });
    };
  const contractPath = (fetch) => petstoreContractPath({ sharedPath, cachePath, upstream, fetch });

  beforeEach(() => {
    directory = fs.mkdtempSync(path.join(os.tmpdir(), 'petstore-contract-'));
    sharedPath = path.join(directory, 'shared/openapi-v3.yaml');
    cachePath = path.join(directory, 'cache/openapi-v3.yaml');
    fetched.length = 0;
  });

  afterEach(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('pins the version of the document the team shares', async () => {
    expect(sha256Of(fs.readFileSync(await petstoreContractPath()))).toBe(UPSTREAM.sha256);
  });

  it('answers the shared document when it is there, fetching nothing', async () => {
    fs.mkdirSync(path.dirname(sharedPath));
    fs.writeFileSync(sharedPath, DOCUMENT);

    await expect(contractPath(fetchAnswering({ error: new Error('no network') }))).resolves.toBe(sharedPath);
    expect(fetched).toEqual([]);
  });

  it('without the shared document, fetches the pinned version into the cache once', async () => {
    const fetch = fetchAnswering({ body: DOCUMENT });

    await expect(contractPath(fetch)).resolves.toBe(cachePath);
    await expect(contractPath(fetch)).resolves.toBe(cachePath);
    expect(fetched).toEqual([upstream.url]);
    expect(fs.readFileSync(cachePath, 'utf8')).toBe(DOCUMENT);
  });

  it('refuses a download that is not the pinned version, writing nothing', async () => {
    const failure = contractPath(fetchAnswering({ body: `${DOCUMENT}# changed\n` }));

    await expect(failure).rejects.toThrow(`not the pinned ${upstream.sha256}`);
    expect(fs.existsSync(path.dirname(cachePath))).toBe(false);
  });

  it('fetches again over a cached file that is not the pinned version', async () => {
    fs.mkdirSync(path.dirname(cachePath));
    fs.writeFileSync(cachePath, DOCUMENT.slice(0, 20));

    await expect(contractPath(fetchAnswering({ body: DOCUMENT }))).resolves.toBe(cachePath);
    expect(fs.readFileSync(cachePath, 'utf8')).toBe(DOCUMENT);
  });

  it.each([
    ['the network is away', { error: new Error('getaddrinfo ENOTFOUND example.test') }, 'ENOTFOUND'],
    ['the server answers an error', { body: 'Not Found', status: 404 }, 'HTTP 404'],
  ])('says where to place the document by hand when %s', async (_case, answer, cause) => {
    const failure = contractPath(fetchAnswering(answer));

    await expect(failure).rejects.toThrow(cause);
    await expect(failure).rejects.toThrow(`place the document at ${sharedPath}`);
    expect(fs.existsSync(cachePath)).toBe(false);
  });
});
