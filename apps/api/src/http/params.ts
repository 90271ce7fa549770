import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';

const ID = /^[a-z0-9][a-z0-9-]{0,79}$/;

export class OperationIdParam {
  @ApiProperty({ example: 'op-darcy-t1' })
  @Matches(ID, { message: 'operationId must be kebab-case [a-z0-9-]' })
  operationId!: string;
}

export class GrantIdParam {
  @ApiProperty({ example: 'g-etat-darcy-1' })
  @Matches(ID, { message: 'grantId must be kebab-case [a-z0-9-]' })
  grantId!: string;
}
