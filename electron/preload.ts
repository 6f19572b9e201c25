/**
 * Desktop preload (sandboxed, CommonJS): exposes only the typed contract's two transport calls to the
 * renderer. No Node, no ipcRenderer, no channel names leak into the page.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE } from './contract/channels.js';
import type { EventMessage, ReplyMessage } from './contract/api.js';

let nextId = 1;

contextBridge.exposeInMainWorld('kuzet', {
  invoke(method: string, params: unknown): Promise<ReplyMessage> {
    if (typeof method !== 'string' || method.length > 64) return Promise.reject(new Error('invalid method'));
    return ipcRenderer.invoke(IPC_INVOKE, { id: nextId++, method, params }) as Promise<ReplyMessage>;
  },
  onEvent(cb: (msg: EventMessage) => void): () => void {
    const listener = (_e: IpcRendererEvent, msg: EventMessage) => cb(msg);
    ipcRenderer.on(IPC_EVENT, listener);
    return () => { ipcRenderer.removeListener(IPC_EVENT, listener); };
  },
});
