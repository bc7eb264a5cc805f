/** What the Predict panel accepts, by name (the server checks the content). */
export type UploadKind = 'image' | 'audio' | 'zip'

const IMAGE = ['.png', '.jpg', '.jpeg', '.bmp', '.gif', '.tif', '.tiff', '.webp']
const AUDIO = ['.wav', '.flac', '.ogg']

export const ACCEPT = [...IMAGE, ...AUDIO, '.zip'].join(',')

export function uploadKind(name: string): UploadKind | null {
  const lower = name.toLowerCase()
  const suffix = lower.includes('.') ? lower.slice(lower.lastIndexOf('.')) : ''
  if (suffix === '.zip') return 'zip'
  if (IMAGE.includes(suffix)) return 'image'
  if (AUDIO.includes(suffix)) return 'audio'
  return null
}

/** Classes from the most to the least probable. */
export function ranked(probabilities: Record<string, number>): [string, number][] {
  return Object.entries(probabilities).sort((a, b) => b[1] - a[1])
}

export function percent(p: number): string {
  return `${(p * 100).toFixed(p >= 0.995 || p < 0.005 ? 0 : 1)}%`
}
