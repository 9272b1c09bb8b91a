import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { generateKeyPairFast, parseEndpoint, parseIpAddress, parsePublicKey, renderClientConf, type IpCidr, type WgPrivateKey } from '@vpn/wireguard';
import { CurrentUser, ErrorResponseDto, User, type Principal } from '../common';
import { ConfigDto, CreateConfigDto, CreatedConfigDto, UsageSampleDto } from './configs.dto';
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
    let privateKey: WgPrivateKey | null = null;
    let publicKey = body.publicKey;
    if (publicKey === undefined) {
      const pair = generateKeyPairFast();
      privateKey = pair.privateKey;
      publicKey = pair.publicKey;
    }
    const reply = await this.commands.request('config.create', {
      userId: user.userId, serverId: body.serverId, name: body.name, publicKey, idempotencyKey,
    }, { timeoutMs: PROVISIONING_DEADLINE_MS });
    // A replay made its key in the first request: that private key is gone, so this conf has none.
    const conf = renderClientConf({
      privateKey: reply.replayed ? null : privateKey,
      address: reply.config.address as IpCidr,
      dns: reply.server.dns.map((d) => parseIpAddress(d)),
      serverPublicKey: parsePublicKey(reply.server.publicKey),
      endpoint: parseEndpoint(reply.server.endpoint),
    });
    return { config: reply.config, conf };
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
