// The official Petstore OpenAPI document the gateway's /api/v3 follows. The team keeps it beside
// the repository (../shared/petstore/openapi-v3.yaml); a clone without that folder, GitHub's CI
// among them, gets the same version from swagger-petstore's repository, checked against its digest.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');
const SHARED_PATH = path.resolve(ROOT, '../shared/petstore/openapi-v3.yaml');
const CACHE_PATH = path.join(ROOT, '.cache/petstore/openapi-v3.yaml');

/** swagger-petstore 1.0.27-SNAPSHOT: byte for byte the document in ../shared/petstore. */
const UPSTREAM = {
  url: 'https://raw.githubusercontent.com/swagger-api/swagger-petstore/f1ed336a08b18ba4a86c496147c4f546ae965a7b/src/main/resources/openapi.yaml',
  sha256: '7c1315ff7d191c2470e1f5fc9c9f7de1c7aacd162f24eaaf0174f88e1b7d9b1d',
};

const sha256Of = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * The path of the document: the shared one when it is there, else the pinned upstream version,
 * downloaded into the git-ignored cache once. Throws, writing nothing, when the download fails
 * or is not the pinned version.
 */
async function petstoreContractPath({ sharedPath = SHARED_PATH, cachePath = CACHE_PATH, upstream = UPSTREAM, fetch = globalThis.fetch } = {}) {
  if (fs.existsSync(sharedPath)) return sharedPath;
  if (fs.existsSync(cachePath) && sha256Of(fs.readFileSync(cachePath)) === upstream.sha256) return cachePath;
  const byHand = `place the document at ${sharedPath}`;
  let bytes;
  try {
    const response = await fetch(upstream.url, { signal: AbortSignal.timeout(30000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (error) {
    throw new Error(`The official Petstore document is not at ${sharedPath}, and fetching ${upstream.url} failed (${error.message}): ${byHand}.`);
  }
  const digest = sha256Of(bytes);
  if (digest !== upstream.sha256) {
    throw new Error(`${upstream.url} answered a document with SHA-256 ${digest}, not the pinned ${upstream.sha256}: ${byHand}.`);
  }
  fs.mkdirSync(path.dirname(cachePath), { recursive: true });
  const partial = `${cachePath}.${process.pid}.partial`;
  fs.writeFileSync(partial, bytes);
  fs.renameSync(partial, cachePath);
  return cachePath;
}

module.exports = { petstoreContractPath, sha256Of, UPSTREAM };
