/**
 * A small OpenAPI 3 checker for the test fixtures: every fixture is checked against the plugin's
 * schema (openapi.json, generated from /api/credits/v1/schema/), so a fixture that drifts from
 * what the API sends fails the suite.
 */
import schema from './openapi.json';

function resolve(node) {
  let current = node;
  while (current && current.$ref) {
    const path = current.$ref.replace('#/', '').split('/');
    current = path.reduce((obj, key) => obj[key], schema);
  }
  return current;
}

/** A list of problems ("at $.credits[0].amount: ...") of ``value`` against ``node``; [] when it conforms. */
export function problems(value, node, at = '$') {
  const spec = resolve(node);
  if (spec.allOf) {
    return spec.allOf.flatMap((part) => problems(value, part, at));
  }
  if (value === null) {
    return spec.nullable ? [] : [`${at}: null is not allowed`];
  }
  const out = [];
  if (spec.enum && !spec.enum.includes(value)) {
    out.push(`${at}: ${JSON.stringify(value)} is not one of ${spec.enum.join(', ')}`);
  }
  switch (spec.type) {
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) { return [`${at}: not an object`]; }
      (spec.required || []).forEach((key) => { if (!(key in value)) { out.push(`${at}: missing ${key}`); } });
      Object.entries(value).forEach(([key, item]) => {
        if (spec.properties?.[key]) {
          out.push(...problems(item, spec.properties[key], `${at}.${key}`));
        } else if (spec.additionalProperties && typeof spec.additionalProperties === 'object') {
          out.push(...problems(item, spec.additionalProperties, `${at}.${key}`));
        } else if (spec.properties) {
          out.push(`${at}: unexpected key ${key}`);
        }
      });
      break;
    }
    case 'array':
      if (!Array.isArray(value)) { return [`${at}: not an array`]; }
      value.forEach((item, index) => out.push(...problems(item, spec.items, `${at}[${index}]`)));
      break;
    case 'string':
      if (typeof value !== 'string') { out.push(`${at}: not a string`); break; }
      if (spec.pattern && !new RegExp(spec.pattern).test(value)) { out.push(`${at}: ${value} does not match ${spec.pattern}`); }
      if (spec.format === 'date-time' && Number.isNaN(Date.parse(value))) { out.push(`${at}: not a date-time`); }
      if (spec.format === 'uuid' && !/^[0-9a-f-]{36}$/.test(value)) { out.push(`${at}: not a uuid`); }
      break;
    case 'integer':
      if (!Number.isInteger(value)) { out.push(`${at}: not an integer`); }
      break;
    case 'boolean':
      if (typeof value !== 'boolean') { out.push(`${at}: not a boolean`); }
      break;
    default:
      break;
  }
  return out;
}

/** The JSON schema of a response: ``responseSchema('/api/credits/v1/credits/', 'get', 200)``. */
export function responseSchema(path, method, status) {
  const response = schema.paths[path][method].responses[String(status)];
  return response.content['application/json'].schema;
}

/** The JSON schema of a request body. */
export function requestSchema(path, method) {
  return schema.paths[path][method].requestBody.content['application/json'].schema;
}
