import { FromDecimalText, MAX_PHOTO_METADATA_LENGTH, PhotoUploadQuery } from '@petstore/dto';
import { IsInt, IsOptional, IsString, MaxLength, Min } from 'class-validator';

export class UploadPhotoQuery implements PhotoUploadQuery {
  @FromDecimalText()
  @IsInt()
  @Min(1)
  petVersion!: number;

  @IsOptional()
  @IsString()
  @MaxLength(MAX_PHOTO_METADATA_LENGTH)
  additionalMetadata?: string;
}
