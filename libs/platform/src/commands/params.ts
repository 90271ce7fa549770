import { ApiProperty } from '@nestjs/swagger';
import { IsKebabId } from './validators';

/*
 * Path parameters, validated like bodies: a malformed id (`x';DROP TABLE…`) is a 400 naming the parameter.
 * Each class lists every parameter of its routes (unknown ones are refused).
 */

export class ProgrammeIdParam {
  @ApiProperty({ description: 'Programme id (kebab-case)', example: 'erbm' })
  @IsKebabId()
  programmeId!: string;
}

export class CiteIdParam {
  @ApiProperty({ description: 'Cité id (kebab-case)', example: 'cite-darcy' })
  @IsKebabId()
  citeId!: string;
}

export class OperationIdParam {
  @ApiProperty({ description: 'Operation id (kebab-case)', example: 'op-darcy-t1' })
  @IsKebabId()
  operationId!: string;
}

export class OperationDeliveryParams extends OperationIdParam {
  @ApiProperty({ description: 'Delivery id within the operation (kebab-case)', example: 'livraison-2021-01' })
  @IsKebabId()
  deliveryId!: string;
}

export class GrantIdParam {
  @ApiProperty({ description: 'Grant id (kebab-case)', example: 'g-etat-darcy-1' })
  @IsKebabId()
  grantId!: string;
}

export class DeclarationIdParam {
  @ApiProperty({ description: 'Insertion declaration id (kebab-case)', example: 'ins-darcy-2021-s1' })
  @IsKebabId()
  declarationId!: string;
}
