import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { type CommandEnvelope, CommandExecutor, type CommandResult } from '@erbm/application';
import { COMMAND_EXECUTOR } from '../tokens';

/** The one command of the bus: any domain command in its envelope (see docs/import-format.md). */
export class ExecuteCommand {
  constructor(readonly envelope: CommandEnvelope) {}
}

@CommandHandler(ExecuteCommand)
export class ExecuteCommandHandler implements ICommandHandler<ExecuteCommand, CommandResult> {
  constructor(@Inject(COMMAND_EXECUTOR) private readonly executor: CommandExecutor) {}

  execute(command: ExecuteCommand): Promise<CommandResult> {
    return this.executor.execute(command.envelope);
  }
}
