import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { openApiDocument } from "@/lib/api/openapi";

/**
 * Checks a response of /api/v1 against the served OpenAPI document: its status must be
 * documented for the operation, its body must match that status's schema, and every declared
 * header must be present when required and match its schema when present. Route-handler
 * tests pass their responses through it, so the document cannot drift from the handlers.
 */
type Json = Record<string, unknown>;

const DOCUMENT_ID = "https://keyport.invalid/openapi.json";
const document = openApiDocument("https://keys.example.org") as unknown as Json;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...document, $id: DOCUMENT_ID });

const pointer = (...parts: string[]) => parts.map((part) => part.replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
function resolve(node: Json): { node: Json; at: string } | undefined {
  const target = node.$ref as string | undefined;
  if (!target) return undefined;
  const found = target
    .slice(2)
    .split("/")
    .map((part) => part.replaceAll("~1", "/").replaceAll("~0", "~"))
    .reduce<unknown>((at, part) => (at as Json)?.[part], document);
  return { node: found as Json, at: target.slice(1) };
}

const validators = new Map<string, ReturnType<typeof ajv.compile>>();
function validatorAt(at: string) {
  let validate = validators.get(at);
  if (!validate) {
    validate = ajv.compile({ $ref: `${DOCUMENT_ID}#${at}` });
    validators.set(at, validate);
  }
  return validate;
}

/** The document's operation for a method and a concrete path such as /api/v1/keys/abc/roll. */
function operationFor(method: string, path: string): { template: string; operation: Json } {
  const paths = document.paths as Record<string, Json>;
  for (const [template, item] of Object.entries(paths)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (pattern.test(path) && item[method.toLowerCase()]) return { template, operation: item[method.toLowerCase()] as Json };
  }
  // A method the path does not implement: every operation of the path documents the 405.
  const template = Object.keys(paths).find((candidate) => new RegExp(`^${candidate.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(path));
  if (!template) throw new Error(`${path} is not in the OpenAPI document`);
  const [firstMethod, operation] = Object.entries(paths[template])[0];
  void firstMethod;
  return { template, operation: operation as Json };
}

/** Validates one response (its body is read from a clone). Returns the parsed body. */
export async function expectDocumented(request: Pick<Request, "method" | "url">, response: Response): Promise<unknown> {
  const path = new URL(request.url).pathname;
  const { template, operation } = operationFor(request.method, path);
  const label = `${request.method} ${path} → ${response.status}`;
  const responses = operation.responses as Record<string, Json>;
  expect(Object.keys(responses), `${label}: status not documented for ${template}`).toContain(String(response.status));
  let described = responses[String(response.status)];
  const method = Object.entries((document.paths as Record<string, Json>)[template]).find(([, value]) => value === operation)![0];
  let at = `/${pointer("paths", template, method, "responses", String(response.status))}`;
  const resolved = resolve(described);
  if (resolved) ({ node: described, at } = resolved);

  const body = JSON.parse(await response.clone().text());
  expect(response.headers.get("content-type"), label).toBe("application/json");
  const validateBody = validatorAt(`${at}/content/application~1json/schema`);
  expect(validateBody(body) ? [] : validateBody.errors, `${label}: body does not match the document`).toEqual([]);

  for (const [name, declared] of Object.entries((described.headers ?? {}) as Record<string, Json>)) {
    const header = resolve(declared) ?? { node: declared, at: `${at}/headers/${pointer(name)}` };
    const value = response.headers.get(name);
    if (value === null) {
      expect(header.node.required, `${label}: required header ${name} is missing`).not.toBe(true);
      continue;
    }
    const validateHeader = validatorAt(`${header.at}/schema`);
    expect(validateHeader(value) ? [] : validateHeader.errors, `${label}: header ${name}: ${value}`).toEqual([]);
  }
  return body;
}

/** A route handler whose every response is checked against the document. */
export function documented<Context>(handler: (request: Request, context: Context) => Promise<Response>) {
  return async (request: Request, context: Context) => {
    const { method, url } = request;
    const response = await handler(request, context);
    await expectDocumented({ method, url }, response);
    return response;
  };
}
