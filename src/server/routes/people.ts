import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.js';
import { caller } from '../http/auth-plugin.js';
import { sendNoBody } from '../http/no-body.js';
import { addUser, createGroup, deleteGroup, getGroup, getUser, listGroups, listUsers, setMembership, updateUser } from '../services/people.js';
import { closed, errorResponses } from '../../contract/common.js';
import { GroupView, ProfileFields, UserView } from '../../contract/people.js';

const UserParams = Type.Object({ userId: Type.String({ maxLength: 64 }) });
const GroupParams = Type.Object({ groupId: Type.String({ maxLength: 64 }) });
const MemberParams = Type.Object({ groupId: Type.String({ maxLength: 64 }), userId: Type.String({ maxLength: 64 }) });

export const peopleRoutes: FastifyPluginAsyncTypebox<{ db: Kysely<Database> }> = async (app, { db }) => {
  app.get('/users', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'List the users of my tenant', response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errorResponses } } }, async (request) => {
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
        body: Type.Object(
          { email: Type.String({ maxLength: 254 }), name: Type.String({ minLength: 1, maxLength: 200 }), role: Type.Optional(Type.Enum(['rep', 'admin'])), groups: Type.Optional(Type.Array(Type.String(), { maxItems: 100 })), ...ProfileFields },
          closed,
        ),
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
        body: Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), role: Type.Optional(Type.Enum(['rep', 'admin'])), disabled: Type.Optional(Type.Boolean()), ...ProfileFields }, closed),
        response: { 200: UserView, ...errorResponses },
      },
    },
    async (request) => {
      const { principal, tdb } = caller(request, db);
      return updateUser(tdb, principal, request.params.userId, request.body);
    },
  );

  app.get('/groups', { config: { access: 'people:read' }, schema: { tags: ['people'], summary: 'List groups with their members', response: { 200: Type.Object({ groups: Type.Array(GroupView) }), ...errorResponses } } }, async (request) => {
    const { tdb } = caller(request, db);
    return { groups: await listGroups(tdb) };
  });

  app.post(
    '/groups',
    {
      config: { access: 'people:write' },
      schema: { tags: ['people'], summary: 'Create a group', body: Type.Object({ slug: Type.String({ maxLength: 63 }), name: Type.Optional(Type.String({ maxLength: 200 })) }, closed), response: { 201: GroupView, ...errorResponses } },
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

  app.delete('/groups/:groupId', { config: { access: 'people:write' }, schema: { tags: ['people'], summary: 'Delete a group (its members stay; packs stop going to it)', params: GroupParams, response: { 204: Type.Null(), ...errorResponses } } }, async (request, reply) => {
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
};
