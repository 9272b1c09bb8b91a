import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { Admin, ErrorResponseDto } from '../common';
import { AUDIT_PAGE_DEFAULT, AuditEntryDto, AuditQueryDto } from './audit.dto';

@ApiTags('admin')
@Controller('admin/audit')
export class AuditController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: AuditEntryDto, isArray: true, description: 'newest first; page on with before = the last id of this page' })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED: limit outside 1–500, or before not an entry id' })
  list(@Query() query: AuditQueryDto): Promise<AuditEntryDto[]> {
    return this.commands.request('audit.list', { limit: query.limit ?? AUDIT_PAGE_DEFAULT, ...(query.before ? { before: query.before } : {}) });
  }
}
