import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { type OpenAPIObject } from '@nestjs/swagger';
import { type FieldViolation } from '@erbm/shared';
import { type Request } from 'express';
import { RequestInvalid } from './problem-details.filter';

/** What the OpenAPI document lets one operation receive besides its path: query parameter names, and whether a body. */
interface OperationInput {
  query: ReadonlySet<string>;
  body: boolean;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The input contract of every operation, read from the served OpenAPI document (ADR 0017): the query parameters it
 * declares and whether it declares a request body. Loaded once, when the document is built (`setupOpenApi`).
 */
@Injectable()
export class InputContract {
  private readonly operations = new Map<string, OperationInput>();

  /** Reads every operation of `document`: `"<METHOD> <path template>"` → its declared query parameters and body. */
  load(document: OpenAPIObject): void {
    this.operations.clear();
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of METHODS) {
        const op = item[method];
        if (!op) continue;
        const query = new Set((op.parameters ?? []).flatMap((p) => ('in' in p && p.in === 'query' ? [p.name] : [])));
        this.operations.set(`${method.toUpperCase()} ${path}`, { query, body: op.requestBody !== undefined });
      }
    }
  }

  /** The contract of an Express route (`/operations/:operationId`), or undefined when the document does not list it. */
  of(method: string, routePath: string): OperationInput | undefined {
    const template = routePath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
    return this.operations.get(`${method === 'HEAD' ? 'GET' : method} ${template}`);
  }
}

const hasFields = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && (Array.isArray(body) ? body.length > 0 : Object.keys(body).length > 0);

/**
 * One input contract for every endpoint (issue 11, item 3), after authentication and roles (AccessGuard): a query
 * parameter the operation's OpenAPI entry does not declare, or a body sent to an operation that declares none, is
 * refused with 400 REQUEST.INVALID naming each unknown parameter or field, before anything runs. Declared query
 * parameters and bodies are then validated by their DTOs (unknown body fields: `forbidNonWhitelisted`); a body that
 * is not JSON never gets here (415, `requireJsonBody`).
 */
@Injectable()
export class InputContractGuard implements CanActivate {
  constructor(private readonly contract: InputContract) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    const routePath = (req.route as { path?: unknown } | undefined)?.path;
    const input = typeof routePath === 'string' ? this.contract.of(req.method, routePath) : undefined;
    if (!input) return true;
    const violations: FieldViolation[] = Object.keys((req.query ?? {}) as object)
      .filter((name) => !input.query.has(name))
      .map((name) => ({ field: name, rule: 'whitelistValidation', message: `query parameter ${name} should not exist` }));
    if (!input.body && hasFields(req.body)) {
      const fields = Array.isArray(req.body) ? ['[0]'] : Object.keys(req.body as object);
      violations.push(...fields.map((field) => ({ field, rule: 'whitelistValidation', message: `property ${field} should not exist: this endpoint takes no body` })));
    }
    if (violations.length) throw new RequestInvalid(violations);
    return true;
  }
}
