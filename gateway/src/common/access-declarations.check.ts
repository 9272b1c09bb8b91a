import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { ACCESS_LEVELS, ACCESS_METADATA, type AccessLevel } from './access.decorators';

/** Every route handler of the app, with the access level it declares (undefined when it declares none). */
export function routeAccessDeclarations(discovery: DiscoveryService, scanner: MetadataScanner, reflector: Reflector):
  Array<{ controller: string; method: string; access: AccessLevel | undefined }> {
  const out: Array<{ controller: string; method: string; access: AccessLevel | undefined }> = [];
  for (const wrapper of discovery.getControllers()) {
    const instance = wrapper.instance as Record<string, unknown> | undefined;
    if (!instance) continue;
    const proto = Object.getPrototypeOf(instance) as object;
    for (const name of scanner.getAllMethodNames(proto)) {
      const handler = (proto as Record<string, unknown>)[name];
      if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
      out.push({ controller: wrapper.name, method: name, access: reflector.get<AccessLevel | undefined>(ACCESS_METADATA, handler as () => unknown) });
    }
  }
  return out;
}

/** Refuses to start an app with a route that does not declare who may call it. */
@Injectable()
export class AccessDeclarationsCheck implements OnModuleInit {
  constructor(private readonly discovery: DiscoveryService, private readonly scanner: MetadataScanner, private readonly reflector: Reflector) {}

  onModuleInit(): void {
    const missing = routeAccessDeclarations(this.discovery, this.scanner, this.reflector)
      .filter((r) => r.access === undefined || !ACCESS_LEVELS.includes(r.access))
      .map((r) => `${r.controller}.${r.method}`);
    if (missing.length > 0) {
      throw new Error(`routes without an access decorator (@Public(), @User() or @Admin()): ${missing.join(', ')}`);
    }
  }
}
