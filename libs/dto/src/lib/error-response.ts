import { ApiProperty } from '@nestjs/swagger';

/** The one error body every app answers with (see HttpErrorFilter), as Swagger documents it. */
export class ErrorResponse {
  @ApiProperty({ type: 'integer', example: 409 })
  statusCode!: number;

  @ApiProperty({ example: 'Conflict' })
  error!: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'pet 12 is not available: it is pending (reserved by order 345)',
  })
  message!: string | string[];
}
