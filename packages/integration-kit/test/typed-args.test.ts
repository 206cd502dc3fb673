// Issue 12 item 4: a handler's `args` are typed from its command's declared arguments. These checks are made by
// the compiler (`pnpm typecheck` compiles the tests): each `@ts-expect-error` fails the typecheck when the error
// it expects is no longer reported, so a loosened CommandContext or CheckedCommands cannot pass unnoticed.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  type ArgsOf,
  type CommandContext,
  type CommandResult,
  defineIntegration,
  graph,
  limitArgument,
} from "../src/index.js";

const flows = {
  xsoarApp: false,
  clientCredentials: true,
  deviceCode: false,
  authorizationCode: false,
  managedIdentities: false,
  nationalClouds: true,
} as const;

const shared = [{ name: "properties", description: "Properties to return." }] as const;

async function getUser(context: CommandContext<{ user: string; limit: string }>): Promise<CommandResult> {
  limitArgument(context, 100); // a typed context goes to the kit's helpers as it is
  const user: string = context.args.user;
  const properties: string | undefined = context.args["properties"];
  return { readable: `${user} ${context.args.limit} ${properties ?? ""}` };
}

async function readsOptionalAsSet(context: CommandContext<{ properties: string }>): Promise<CommandResult> {
  return { readable: context.args.properties };
}

describe("typed command arguments", () => {
  it("required and defaulted arguments are strings, the others may be undefined", () => {
    const declared = [
      { name: "user", description: "The user.", required: true },
      { name: "limit", description: "Per page.", defaultValue: "50" },
      ...shared,
    ] as const;
    expectTypeOf<ArgsOf<typeof declared>>().toEqualTypeOf<
      { readonly user: string; readonly limit: string } & { readonly properties?: string }
    >();
    expectTypeOf<CommandContext<{ user: string }>["args"]["user"]>().toEqualTypeOf<string>();
    expectTypeOf<CommandContext["args"]["anything"]>().toEqualTypeOf<string | undefined>();
  });

  it("defineIntegration accepts a handler whose arguments its command declares required or defaulted", () => {
    const integration = defineIntegration({
      id: "typed-args",
      displayName: "Typed arguments",
      commandPrefix: "typed",
      flows,
      resource: graph(),
      commands: {
        "typed-get": {
          description: "Gets a user.",
          arguments: [
            { name: "user", description: "The user.", required: true },
            { name: "limit", description: "Per page.", defaultValue: "50" },
            ...shared,
          ],
          run: getUser,
        },
      },
    });
    expect(integration.commandNames()).toContain("typed-get");
  });

  it("defineIntegration refuses a handler that takes an optional or undeclared argument as always set", () => {
    expect(() =>
      defineIntegration({
        id: "typed-bad",
        displayName: "Typed arguments",
        commandPrefix: "typed",
        flows,
        resource: graph(),
        commands: {
          "typed-optional": {
            description: "properties is optional",
            arguments: shared,
            // @ts-expect-error properties is optional: the handler must not take it as a string
            run: readsOptionalAsSet,
          },
          "typed-undeclared": {
            description: "declares nothing",
            // @ts-expect-error user is not declared at all
            run: getUser,
          },
        },
      }),
    ).not.toThrow(); // the runtime still checks required arguments itself: this is a compile-time contract
  });
});
