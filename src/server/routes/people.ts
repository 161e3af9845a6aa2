import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import type { SecretBox } from '../secrets.js';
import { getDirectorySource, setDirectorySource, syncDirectory, type DirectoryAccess } from '../services/directory-sync.js';
import { AppError } from '../errors.js';
import { sendNoBody } from '../http/no-body.js';
import { addUser, createGroup, deleteGroup, getGroup, getUser, listGroups, listUsers, setMembership, updateUser, changeUser } from '../services/people.js';
import { errorResponses, NoBody } from '../../contract/common.js';
import { GroupCreate, GroupList, GroupParams, GroupView, MemberParams, UserCreate, UserList, UserParams, UserPatch, UserView, UserDisable, UserDisableResult, DirectorySourcePut, DirectorySourceState, DirectorySourceView, DirectorySyncReport, DirectorySyncRequest } from '../../contract/people.js';


export const peopleRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database>; box?: SecretBox | undefined; directory?: DirectoryAccess | undefined }> = async (app, { db, box, directory }) => {
  app.get('/users', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'List the users of my tenant', response: { 200: UserList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { users: await listUsers(tdb) };
  });

  app.post(
    '/users',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['people'],
        summary: 'Add a user',
        body: UserCreate,
        response: { 201: UserView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await addUser(tdb, principal, request.body));
    },
  );

  app.get('/users/:userId', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'One user', params: UserParams, response: { 200: UserView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getUser(tdb, request.params.userId);
  });

  app.patch(
    '/users/:userId',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['people'],
        summary: 'Change a user (profile, role, disabled)',
        params: UserParams,
        body: UserPatch,
        response: { 200: UserView, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return updateUser(tdb, principal, request.params.userId, request.body);
    },
  );

  app.get('/groups', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'List groups with their members', response: { 200: GroupList, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { groups: await listGroups(tdb) };
  });

  app.post(
    '/groups',
    {
      config: { access: 'people:write' },
      schema: { tags: ['people'], summary: 'Create a group', body: GroupCreate, response: { 201: GroupView, ...errorResponses } },
    },
    async (request, reply) => {
      const { principal, tdb } = caller(request, db);
      return reply.status(201).send(await createGroup(tdb, principal, request.body));
    },
  );

  app.get('/groups/:groupId', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'One group (by id or slug)', params: GroupParams, response: { 200: GroupView, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return getGroup(tdb, request.params.groupId);
  });

  app.delete('/groups/:groupId', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Delete a group (its members stay; packs stop going to it)', params: GroupParams, response: { 204: NoBody, ...errorResponses } } }, async (request, reply) => {
    const { principal, tdb } = caller(request, db);
    await deleteGroup(tdb, principal, request.params.groupId);
    return sendNoBody(reply, 204);
  });

  app.put('/groups/:groupId/members/:userId', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Add a user to a group', params: MemberParams, response: { 200: GroupView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return setMembership(tdb, principal, request.params.groupId, request.params.userId, true);
  });

  app.delete('/groups/:groupId/members/:userId', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Remove a user from a group', params: MemberParams, response: { 200: GroupView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return setMembership(tdb, principal, request.params.groupId, request.params.userId, false);
  });

  app.post(
    '/users/:userId/disable',
    {
      config: { access: 'people:write' },
      schema: {
        tags: ['people'],
        summary: 'Disable a user: sign-in refused, API keys revoked, pending scheduled sends stopped with the reason',
        params: UserParams,
        body: UserDisable,
        response: { 200: UserDisableResult, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return changeUser(tdb, principal, request.params.userId, { disabled: true, ...(request.body.reason !== undefined ? { reason: request.body.reason } : {}) });
    },
  );

  app.post('/users/:userId/enable', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Enable a disabled user again (revoked keys stay revoked; stopped sends stay stopped)', params: UserParams, response: { 200: UserView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return updateUser(tdb, principal, request.params.userId, { disabled: false });
  });

  app.get('/admin/directory', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'The directory source of profile fields (Microsoft Entra ID or Google Workspace), without its secret', response: { 200: DirectorySourceState, ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { source: await getDirectorySource(tdb), googleDelegation: directory?.googleDelegation ?? false };
  });

  app.put('/admin/directory', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Set the directory source: the Entra app registration (User.Read.All; the secret is stored encrypted) or the Google Workspace administrator the store\'s service account acts as', body: DirectorySourcePut, response: { 200: DirectorySourceView, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    return setDirectorySource(tdb, principal, box, { googleDelegation: directory?.googleDelegation ?? false }, request.body);
  });

  app.post('/admin/directory/sync', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Read name, title, department and phones from the directory: a dry run reports, apply writes (pinned fields kept)', body: DirectorySyncRequest, response: { 200: DirectorySyncReport, ...errorResponses } } }, async (request) => {
    const { principal, tdb } = caller(request, db);
    if (!directory) throw new AppError(503, 'no_directory', 'directory sync is not available on this store');
    return syncDirectory(tdb, principal, box, directory, { apply: request.body.apply });
  });
};
