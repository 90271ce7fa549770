import { type NextFunction, type Request, type Response } from 'express';
import { RequestRejected } from '../http/problem-details.filter';
import { importFormatOf } from './imports.controller';

/** Largest import file, in bytes (10 MB). */
export const IMPORT_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Reads the raw body of `POST /imports` when it is an import file (text/csv, application/x-ndjson,
 * application/jsonl) into `req.body` as a string, up to IMPORT_BODY_BYTES (413 REQUEST.TOO_LARGE beyond). Only that
 * route and those types: every other request goes on to the JSON parser and its 256 kB limit. The file must be
 * UTF-8 (400 IMPORT.UNREADABLE_FILE otherwise) and not content-encoded (415 REQUEST.UNSUPPORTED_ENCODING).
 */
export function importBody(req: Request, _res: Response, next: NextFunction): void {
  if (req.method !== 'POST' || !/^\/imports\/?$/.test(req.path) || importFormatOf(req.headers['content-type']) === null) {
    next();
    return;
  }
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    next(new RequestRejected(415, 'REQUEST.UNSUPPORTED_ENCODING', `An import file must be UTF-8, not ${charset}`));
    return;
  }
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    next(new RequestRejected(415, 'REQUEST.UNSUPPORTED_ENCODING', `Content-Encoding ${encoding} is not accepted for an import`));
    return;
  }
  const tooLarge = () => new RequestRejected(413, 'REQUEST.TOO_LARGE', `The import file exceeds the limit (${IMPORT_BODY_BYTES} bytes)`);
  if (Number(req.headers['content-length'] ?? 0) > IMPORT_BODY_BYTES) {
    next(tooLarge());
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const settle = (err?: unknown) => {
    if (settled) return;
    settled = true;
    next(err);
  };
  req.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > IMPORT_BODY_BYTES) {
      settle(tooLarge());
      return;
    }
    chunks.push(chunk);
  });
  req.on('error', (e: Error) => settle(new RequestRejected(400, 'REQUEST.BODY_UNREADABLE', e.message)));
  req.on('end', () => {
    if (settled) return;
    try {
      req.body = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
    } catch {
      settle(new RequestRejected(400, 'IMPORT.UNREADABLE_FILE', 'The import file is not valid UTF-8'));
      return;
    }
    settle();
  });
}
