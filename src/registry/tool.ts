import type { CallToolResult } from '@modelcontextprotocol/server';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';

/** A transport-agnostic tool: what it is, what it takes, and what it does with the shared context. */
export interface ToolDefinition<I extends z.ZodObject = z.ZodObject, O extends z.ZodObject = z.ZodObject> {
  name: string;
  title?: string;
  description: string;
  inputSchema: I;
  outputSchema?: O;
  annotations?: { readOnlyHint?: boolean; idempotentHint?: boolean; openWorldHint?: boolean };
  handler(args: z.infer<I>, ctx: AppContext): Promise<CallToolResult> | CallToolResult;
}

/** Declares a tool with its argument types inferred from the input schema. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(tool: ToolDefinition<I, O>): ToolDefinition<I, O> {
  return tool;
}

/** A tool result carrying a text rendering for the model and the same data as structured content. */
export function jsonResult(data: Record<string, unknown>, text = JSON.stringify(data, null, 2)): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: data };
}
