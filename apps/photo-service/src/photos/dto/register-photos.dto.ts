import { MAX_PHOTO_URL_LENGTH, MAX_PHOTO_URLS, PhotoRegistrationRequest } from '@petstore/dto';
import { ArrayMaxSize, IsArray, IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';

export class RegisterPhotosDto implements PhotoRegistrationRequest {
  @IsInt()
  @Min(1)
  petVersion!: number;

  @IsArray()
  @ArrayMaxSize(MAX_PHOTO_URLS)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_PHOTO_URL_LENGTH, { each: true })
  urls!: string[];
}
