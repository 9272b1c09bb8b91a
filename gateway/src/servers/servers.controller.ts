import { Controller, Get, Inject, Module } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandBus } from '@vpn/messaging';
import { User } from '../common';

export class PublicServerDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty() location: string;
  @ApiProperty({ description: 'a server in maintenance cannot take new devices' }) maintenance: boolean;
}

@ApiTags('servers')
@Controller('servers')
export class ServersController {
  constructor(@Inject(CommandBus) private readonly commands: CommandBus) {}

  @Get()
  @User()
  @ApiOkResponse({ type: PublicServerDto, isArray: true })
  list(): Promise<PublicServerDto[]> {
    return this.commands.request('server.list-public', {});
  }
}

@Module({ controllers: [ServersController] })
export class ServersModule {}
