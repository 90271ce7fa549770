import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { CoreModule } from '@erbm/platform';
import { HealthController } from './health/health.controller';
import { CommandGateway } from './http/command-gateway';
import { ProblemDetailsFilter } from './http/problem-details.filter';
import { validationPipe } from './http/validation';
import { GrantsController } from './funding/grants.controller';
import { InsertionController } from './insertion/insertion.controller';
import { OperationsController } from './operations/operations.controller';
import { ReadModelsController } from './read-models/read-models.controller';
import { ReferenceController } from './reference/reference.controller';
import { ReportJobsController } from './reports/report-jobs.controller';

export const CONTROLLERS = [ReferenceController, OperationsController, GrantsController, InsertionController, ReadModelsController, ReportJobsController, HealthController];

@Module({
  imports: [CoreModule, TerminusModule.forRoot({ errorLogStyle: 'pretty' })],
  controllers: CONTROLLERS,
  providers: [CommandGateway, { provide: APP_FILTER, useClass: ProblemDetailsFilter }, { provide: APP_PIPE, useValue: validationPipe }],
})
export class AppModule {}
