import { Module } from '@nestjs/common';
import { CoreModule } from '@erbm/platform';

/** The CLI runs commands through the same bus and executor as the API. */
@Module({ imports: [CoreModule] })
export class CliModule {}
