import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '@vpn/contracts';

/** `?query=&limit=&cursor=` of a keyset-paged listing (API.md §5). */
export class PageQueryDto {
  @ApiPropertyOptional({ description: 'case-insensitive substring to look for' })
  @IsOptional()
  @IsString()
  @MaxLength(254)
  query?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: PAGE_LIMIT_MAX, default: PAGE_LIMIT_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(PAGE_LIMIT_MAX)
  limit?: number;

  @ApiPropertyOptional({ description: 'the nextCursor of the previous page (opaque)' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  cursor?: string;
}
