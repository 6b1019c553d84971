import { currentDateTool } from '../tools/current-date.ts';
import { getServerInfoTool } from '../tools/get-server-info.ts';
import { posWorkflowTool } from '../tools/pos-workflow.ts';
import { searchStandardsTool } from '../tools/search-standards.ts';
import type { ToolDefinition } from './tool.ts';

/** Every tool praxis-mcp serves, in listing order. */
export const builtinTools: readonly ToolDefinition[] = [getServerInfoTool, currentDateTool, searchStandardsTool, posWorkflowTool] as ToolDefinition[];
