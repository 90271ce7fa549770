import { Module } from '@nestjs/common';
import { CoreModule } from '@erbm/platform';

@Module({ imports: [CoreModule] })
export class WorkerModule {}
