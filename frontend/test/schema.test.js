import { describe, expect, it } from 'vitest';

import * as f from './fixtures';
import { problems, requestSchema, responseSchema } from './schema';
import { toBody, toForm } from '../src/data/settingsForm';

describe('fixtures follow the plugin OpenAPI schema', () => {
  it.each([
    ['learner summary', f.learnerSummary, f.PATHS.summary, 'get', 200],
    ['empty learner summary', f.emptySummary, f.PATHS.summary, 'get', 200],
    ['learner requirements', f.learnerRequirements, f.PATHS.requirements, 'get', 200],
    ['no requirements', f.noRequirements, f.PATHS.requirements, 'get', 200],
    ['course settings', f.courseSettings, f.PATHS.course, 'get', 200],
    ['disabled course settings', f.disabledCourseSettings, f.PATHS.course, 'put', 200],
    ['active credits page', f.activeCredits, f.PATHS.credits, 'get', 200],
    ['404 error', f.notFound, f.PATHS.course, 'get', 404],
    ['403 error', f.forbidden, f.PATHS.course, 'put', 403],
    ['400 error', f.validationError, f.PATHS.course, 'put', 400],
  ])('%s', (name, value, path, method, status) => {
    expect(problems(value, responseSchema(path, method, status))).toEqual([]);
  });

  it('the settings form sends a body the schema accepts', () => {
    const body = toBody(toForm(f.courseSettings));
    expect(problems(body, requestSchema(f.PATHS.course, 'put'))).toEqual([]);
    expect(body.credits[0]).toEqual({ credit: 11, amount: '2.50', reference_number: '' });
  });

  it('the checker reports a fixture that drifted', () => {
    const drifted = { ...f.courseSettings, award_trigger: 'sometimes', credits: [{ credit: '11' }] };
    const found = problems(drifted, responseSchema(f.PATHS.course, 'get', 200));
    expect(found).toEqual(expect.arrayContaining([
      '$.award_trigger: "sometimes" is not one of passing, certificate, manual',
      '$.credits[0].credit: not an integer',
      '$.credits[0]: missing amount',
    ]));
  });
});
