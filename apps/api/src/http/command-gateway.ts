import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { type CommandResult } from '@erbm/application';
import { ExecuteCommand } from '@erbm/platform';
import { type Request, type Response } from 'express';
import { commandContext } from './command-context';

/**
 * Sends a domain command through the command bus on behalf of an HTTP request, and answers 201 with the result
 * (200 when the Idempotency-Key had already been applied) and the aggregate's new version as ETag.
 */
@Injectable()
export class CommandGateway {
  constructor(private readonly bus: CommandBus) {}

  async send(type: string, data: object, req: Request, res: Response): Promise<CommandResult> {
    const ctx = commandContext(req);
    const result = await this.bus.execute<ExecuteCommand, CommandResult>(
      new ExecuteCommand({ commandId: ctx.commandId, type, data: { ...data }, actor: ctx.actor, correlationId: ctx.correlationId, expectedVersion: ctx.expectedVersion }),
    );
    res.status(result.duplicate ? 200 : 201).setHeader('ETag', `"${result.version}"`);
    return result;
  }
}
