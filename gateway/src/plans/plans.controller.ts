import { Body, Controller, Get, Inject, Module, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { RESET_STRATEGIES, type ResetStrategy } from '@vpn/contracts';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';

const PLAN_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;
const NAME_RULE = 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"';

export class PlanDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() maxDevices: number;
  @ApiProperty({ type: Number, nullable: true, description: 'null: unlimited traffic' }) dataLimitBytes: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'null: never expires' }) durationDays: number | null;
  @ApiProperty({ enum: RESET_STRATEGIES, description: 'MONTH: the 1st (UTC); MONTH_ROLLING: the start day, capped at the month end' }) resetStrategy: ResetStrategy;
  @ApiProperty({ description: 'ON_HOLD until the first handshake of any of the user\'s devices' }) startOnFirstConnect: boolean;
}

/** The subscription terms, optional in both create (default: unlimited, no expiry, no reset) and update; null limits are unlimited. */
class PlanTermsDto {
  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 0 })
  @IsOptional() @IsInt({ message: 'dataLimitBytes must be null or a non-negative integer' }) @Min(0, { message: 'dataLimitBytes must be null or a non-negative integer' })
  @Max(Number.MAX_SAFE_INTEGER, { message: 'dataLimitBytes is too large' })
  dataLimitBytes?: number | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 36500 })
  @IsOptional() @IsInt({ message: 'durationDays must be null or an integer from 1 to 36500' })
  @Min(1, { message: 'durationDays must be null or an integer from 1 to 36500' }) @Max(36_500, { message: 'durationDays must be null or an integer from 1 to 36500' })
  durationDays?: number | null;

  @ApiPropertyOptional({ enum: RESET_STRATEGIES })
  @IsOptional() @IsIn(RESET_STRATEGIES, { message: `resetStrategy must be one of ${RESET_STRATEGIES.join(', ')}` })
  resetStrategy?: ResetStrategy;

  @ApiPropertyOptional()
  @IsOptional() @IsBoolean({ message: 'startOnFirstConnect must be true or false' })
  startOnFirstConnect?: boolean;
}

export class CreatePlanDto extends PlanTermsDto {
  @ApiProperty({ example: 'Team' }) @IsString() @Matches(PLAN_NAME, { message: NAME_RULE }) name: string;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @IsInt() @Min(0) @Max(10_000) maxDevices: number;
}

export class UpdatePlanDto extends PlanTermsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(PLAN_NAME, { message: NAME_RULE }) name?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) maxDevices?: number;
}

/** The terms present in a body (null kept: it means unlimited). */
function terms(body: PlanTermsDto): PlanTermsDto {
  const { dataLimitBytes, durationDays, resetStrategy, startOnFirstConnect } = body;
  return { dataLimitBytes, durationDays, resetStrategy, startOnFirstConnect };
}

@ApiTags('admin')
@Controller('admin/plans')
export class PlansController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @Admin()
  @ApiOkResponse({ type: PlanDto, isArray: true })
  list(): Promise<PlanDto[]> {
    return this.commands.request('limits.plans.list', {});
  }

  @Post()
  @Admin()
  @ApiCreatedResponse({ type: PlanDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'PLAN_NAME_TAKEN' })
  create(@CurrentUser() admin: Principal, @Body() body: CreatePlanDto): Promise<PlanDto> {
    return this.commands.request('limits.plans.create', { actorId: admin.userId, name: body.name, maxDevices: body.maxDevices, ...terms(body) });
  }

  @Patch(':id')
  @Admin()
  @ApiOkResponse({ type: PlanDto, description: 'new terms apply to subscriptions started from now on' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PLAN_NOT_FOUND' })
  update(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: UpdatePlanDto): Promise<PlanDto> {
    return this.commands.request('limits.plans.update', { actorId: admin.userId, planId: id, name: body.name, maxDevices: body.maxDevices, ...terms(body) });
  }
}

@Module({ controllers: [PlansController] })
export class PlansModule {}
