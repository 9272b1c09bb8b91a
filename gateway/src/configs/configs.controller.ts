import { Body, Controller, Delete, Get, Header, Headers, HttpCode, Inject, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBadGatewayResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CommandBus } from '@vpn/messaging';
import { confFileName, generateKeyPairFast, type WgPrivateKey } from '@vpn/wireguard';
import { CurrentUser, ErrorResponseDto, User, type Principal } from '../common';
import { ConfigDto, CreateConfigDto, CreatedConfigDto, RekeyConfigDto, UpdateConfigDto, UsageSampleDto } from './configs.dto';
import { renderDeviceConf } from './device-conf';
import { parseUsageWindow } from './usage-window';

/** Peer changes may wait for a remote server: longer than the bus default. */
const PROVISIONING_DEADLINE_MS = 30_000;

@ApiTags('configs')
@Controller('configs')
export class ConfigsController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  /**
   * Without `publicKey`, the key pair is made here at the edge: only the public key enters the saga;
   * the private key goes into this one answer and is forgotten (never on the bus, in a row or a log).
   */
  @Post()
  @User()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'the same key from the same user gives the same outcome and never a second config' })
  @ApiCreatedResponse({ type: CreatedConfigDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED / INVALID_PUBLIC_KEY' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'PLAN_LIMIT_REACHED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'SERVER_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'SERVER_MAINTENANCE / ADDRESS_POOL_EXHAUSTED / PUBLIC_KEY_IN_USE / IDEMPOTENCY_KEY_REUSED' })
  async create(
    @CurrentUser() user: Principal,
    @Body() body: CreateConfigDto,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<CreatedConfigDto> {
    const { privateKey, publicKey } = keyFor(body.publicKey);
    const { serverId, name, dns, mtu, allowedIps, persistentKeepalive } = body;
    const reply = await this.commands.request('config.create', {
      userId: user.userId, serverId, name, publicKey, idempotencyKey, dns, mtu, allowedIps, persistentKeepalive,
    }, { timeoutMs: PROVISIONING_DEADLINE_MS });
    // A replay made its key in the first request: that private key is gone, so this conf has none.
    return { config: reply.config, conf: renderDeviceConf(reply.config, reply.server, reply.replayed ? null : privateKey) };
  }

  /** `enabled` changes the server before the answer (a saga); the other fields only what the conf renders. */
  @Patch(':id')
  @User()
  @ApiOkResponse({ type: ConfigDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'PROVISIONING_FAILED: the server could not be changed; the device is as it was' })
  update(@CurrentUser() user: Principal, @Param('id') id: string, @Body() body: UpdateConfigDto): Promise<ConfigDto> {
    const { name, enabled, dns, mtu, allowedIps, persistentKeepalive } = body;
    return this.commands.request('config.update', {
      userId: user.userId, configId: id, actorId: user.userId, name, enabled, dns, mtu, allowedIps, persistentKeepalive,
    }, { timeoutMs: PROVISIONING_DEADLINE_MS });
  }

  /** A new key for the same address and name, made here when absent exactly as create does; the old key is off the server before the answer. */
  @Post(':id/rekey')
  @User()
  @HttpCode(200)
  @ApiOkResponse({ type: CreatedConfigDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'VALIDATION_FAILED / INVALID_PUBLIC_KEY' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'PUBLIC_KEY_IN_USE' })
  @ApiBadGatewayResponse({ type: ErrorResponseDto, description: 'PROVISIONING_FAILED: the old key still works' })
  async rekey(@CurrentUser() user: Principal, @Param('id') id: string, @Body() body: RekeyConfigDto): Promise<CreatedConfigDto> {
    const { privateKey, publicKey } = keyFor(body.publicKey);
    const reply = await this.commands.request('config.rekey', { userId: user.userId, configId: id, actorId: user.userId, publicKey }, { timeoutMs: PROVISIONING_DEADLINE_MS });
    return { config: reply.config, conf: renderDeviceConf(reply.config, reply.server, privateKey) };
  }

  /** The wg-quick file for a key the user holds: no PrivateKey line; its file name is a valid wg-quick interface name. */
  @Get(':id/conf')
  @User()
  @Header('Content-Type', 'text/plain; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiProduces('text/plain')
  @ApiOkResponse({ type: String, description: 'the wg-quick file, as an attachment' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async conf(@CurrentUser() user: Principal, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const reply = await this.commands.request('config.conf', { userId: user.userId, configId: id });
    res.setHeader('Content-Disposition', `attachment; filename="${confFileName(reply.config.name)}"`);
    return renderDeviceConf(reply.config, reply.server, null);
  }

  @Get()
  @User()
  @ApiOkResponse({ type: ConfigDto, isArray: true })
  list(@CurrentUser() user: Principal): Promise<ConfigDto[]> {
    return this.commands.request('config.list', { userId: user.userId });
  }

  @Get(':id')
  @User()
  @ApiOkResponse({ type: ConfigDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@CurrentUser() user: Principal, @Param('id') id: string): Promise<ConfigDto> {
    return this.commands.request('config.get', { userId: user.userId, configId: id });
  }

  @Get(':id/usage')
  @User()
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601; default 24 h ago' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601; default now' })
  @ApiOkResponse({ type: UsageSampleDto, isArray: true })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  usage(@CurrentUser() user: Principal, @Param('id') id: string, @Query('from') from?: string, @Query('to') to?: string): Promise<UsageSampleDto[]> {
    return this.commands.request('config.usage', { userId: user.userId, configId: id, ...parseUsageWindow(from, to) });
  }

  @Delete(':id')
  @User()
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'the peer is gone from the server' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async revoke(@CurrentUser() user: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.request('config.revoke', { userId: user.userId, configId: id, actorId: user.userId }, { timeoutMs: PROVISIONING_DEADLINE_MS });
  }
}

/** The device's key: the client's, or a pair made here whose private half goes only into this answer. */
function keyFor(clientKey: string | undefined): { privateKey: WgPrivateKey | null; publicKey: string } {
  if (clientKey !== undefined) return { privateKey: null, publicKey: clientKey };
  const pair = generateKeyPairFast();
  return { privateKey: pair.privateKey, publicKey: pair.publicKey };
}
