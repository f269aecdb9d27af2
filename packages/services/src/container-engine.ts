import { existsSync } from 'node:fs';
import { homedir } from 'node:os';

/**
 * True when a container engine answers. Checked cheaply first (a socket file or DOCKER_HOST),
 * then by asking testcontainers, which also knows the Podman and Colima locations.
 */
export async function containerEngineAvailable(dockerHost: string | undefined): Promise<boolean> {
  const sockets = [
    '/var/run/docker.sock',
    `${homedir()}/.docker/run/docker.sock`,
    '/run/podman/podman.sock',
  ];
  if (dockerHost === undefined && !sockets.some((path) => existsSync(path))) return false;
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return true;
  } catch {
    return false;
  }
}
