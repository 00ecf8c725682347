const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const catalog = require('../../libs/platform/src/lib/service-catalog.json');

describe('tools/prometheus/prometheus.yml', () => {
  const config = YAML.parse(fs.readFileSync(path.join(__dirname, 'prometheus.yml'), 'utf8'));

  it('scrapes each of the six apps at its dev port, one job per app named after it', () => {
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((group) => group.targets)]));
    const expected = Object.fromEntries(Object.entries(catalog).map(([app, { port }]) => [app, [`127.0.0.1:${port}`]]));
    expect(jobs).toEqual(expected);
  });
});
