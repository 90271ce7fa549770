import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandEnvelope, CommandExecutor, type CommandResult } from '@erbm/application';
import { validateCommandData } from '../commands/command-schemas';
import { COMMAND_EXECUTOR } from '../tokens';

/** The one command of the bus: any domain command in its envelope (see docs/import-format.md). */
export class ExecuteCommand {
  constructor(readonly envelope: CommandEnvelope) {}
}

@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand, CommandResult> {
  constructor(@Inject(COMMAND_EXECUTOR) private readonly executor: CommandExecutor) {}

  /**
   * Checks the envelope's `data` against the command's schema (the same classes as the HTTP bodies, ADR 0017), so a
   * command read from an import file or the CLI meets the contract of the API, then runs it.
   * @throws DomainError COMMAND.INVALID (400) naming each field that breaks the schema; nothing is appended.
   */
  async execute(command: ExecuteCommand): Promise<CommandResult> {
    const { envelope } = command;
    return this.executor.execute({ ...envelope, data: validateCommandData(envelope.type, envelope.data) });
  }
}
