import Joi from 'joi';
import { configNamespace, variable } from './config-namespace';

describe('configNamespace', () => {
  const example = configNamespace('example', {
    waitMs: variable('EXAMPLE_WAIT_MS', Joi.number().integer().min(1).default(200)),
    name: variable('EXAMPLE_NAME', Joi.string().default('petstore')),
  });

  afterEach(() => {
    delete process.env['EXAMPLE_WAIT_MS'];
    delete process.env['EXAMPLE_NAME'];
  });

  it('gives the schema of each variable under its name, for validation at start', () => {
    expect(Object.keys(example.environment)).toEqual(['EXAMPLE_WAIT_MS', 'EXAMPLE_NAME']);
    expect(Joi.object(example.environment).validate({ EXAMPLE_WAIT_MS: '0' }).error?.message).toMatch(/EXAMPLE_WAIT_MS/);
  });

  it('reads each variable converted by its schema, or its default', () => {
    process.env['EXAMPLE_WAIT_MS'] = '750';
    expect(example()).toEqual({ waitMs: 750, name: 'petstore' });
  });

  it('names the variable a bad value came from', () => {
    process.env['EXAMPLE_WAIT_MS'] = 'soon';
    expect(() => example()).toThrow(/EXAMPLE_WAIT_MS/);
  });
});
