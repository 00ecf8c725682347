import { TokenReference } from '@petstore/dto';
import { IsInt, IsNumberString, IsUUID, Min } from 'class-validator';

export class TokenReferenceDto implements TokenReference {
  @IsUUID()
  jti!: string;

  @IsNumberString({ no_symbols: true })
  sub!: string;

  @IsInt()
  @Min(0)
  ver!: number;

  @IsInt()
  @Min(0)
  exp!: number;
}
