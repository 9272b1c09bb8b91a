import { Body, Controller, Get, Inject, Module, Param, Patch, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { CommandBus } from '@vpn/messaging';
import { Admin, CurrentUser, ErrorResponseDto, type Principal } from '../common';

const PLAN_NAME = /^[\p{L}\p{N} ._-]{1,64}$/u;

export class PlanDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() maxDevices: number;
}

export class CreatePlanDto {
  @ApiProperty({ example: 'Team' }) @IsString() @Matches(PLAN_NAME, { message: 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"' }) name: string;
  @ApiProperty({ minimum: 0, maximum: 10000 }) @IsInt() @Min(0) @Max(10_000) maxDevices: number;
}

export class UpdatePlanDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Matches(PLAN_NAME, { message: 'name must be 1–64 letters, digits, spaces, ".", "_" or "-"' }) name?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 10000 }) @IsOptional() @IsInt() @Min(0) @Max(10_000) maxDevices?: number;
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
    return this.commands.request('limits.plans.create', { actorId: admin.userId, name: body.name, maxDevices: body.maxDevices });
  }

  @Patch(':id')
  @Admin()
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'PLAN_NOT_FOUND' })
  update(@CurrentUser() admin: Principal, @Param('id') id: string, @Body() body: UpdatePlanDto): Promise<PlanDto> {
    return this.commands.request('limits.plans.update', { actorId: admin.userId, planId: id, name: body.name, maxDevices: body.maxDevices });
  }
}

@Module({ controllers: [PlansController] })
export class PlansModule {}
