import { onBeforeUnmount, ref, watch } from 'vue'
import { getLocalPhoto } from '../../db/photos'

/**
 * The addresses to show a record's photos at: a photo still on this phone (not yet synced, or
 * kept for a refused op) from IndexedDB as an object URL, so it shows offline; any other from
 * the server. Object URLs are released when the ids change and when the component goes away.
 */
export function usePhotos(ids: () => readonly string[]) {
  const urls = ref<string[]>([])
  let local: string[] = []

  function release(): void {
    local.forEach(u => URL.revokeObjectURL(u))
    local = []
  }

  watch(() => ids().join(','), async () => {
    release()
    const made: string[] = []
    urls.value = await Promise.all(ids().map(async (id) => {
      const photo = await getLocalPhoto(id).catch(() => undefined)
      if (!photo)
        return `/api/photos/${id}`
      const url = URL.createObjectURL(new Blob([photo.bytes], { type: photo.mime }))
      made.push(url)
      return url
    }))
    local = made
  }, { immediate: true })

  onBeforeUnmount(release)

  return { urls }
}
