import type { Saliency, SaliencyAxis } from '../api/types'

function ticksLabel(axis: SaliencyAxis, value: number): string {
  if (axis.label.includes('Hz')) return value >= 1000 ? `${(value / 1000).toFixed(1)}k` : value.toFixed(0)
  return value.toFixed(2)
}

/** The Grad-CAM overlay, with time (s) below and frequency (Hz) on the left for a spectrogram. */
export function SaliencyView({ saliency }: { saliency: Saliency }) {
  const { time_axis: time, frequency_axis: frequency } = saliency
  return (
    <figure className="saliency" data-testid="saliency">
      <figcaption>
        Grad-CAM for <strong>{saliency.class_name}</strong> (layer <code>{saliency.layer}</code>
        {saliency.segment != null ? `, segment ${saliency.segment + 1}` : ''}): warmer areas raised that class most.
      </figcaption>
      <div className="saliency-plot">
        {frequency && (
          <div className="axis axis-y" data-testid="frequency-axis" aria-label={frequency.label}>
            {frequency.ticks.map((tick, i) => (
              <span key={i} style={{ bottom: `${(frequency.positions[i] ?? 0) * 100}%` }}>
                {ticksLabel(frequency, tick)}
              </span>
            ))}
            <em className="axis-title">{frequency.label}</em>
          </div>
        )}
        <div className="saliency-image">
          <img src={`data:image/png;base64,${saliency.png_base64}`} alt={`Grad-CAM heatmap for ${saliency.class_name}`} />
          {time && (
            <div className="axis axis-x" data-testid="time-axis" aria-label={time.label}>
              {time.ticks.map((tick, i) => (
                <span key={i} style={{ left: `${(time.positions[i] ?? 0) * 100}%` }}>
                  {ticksLabel(time, tick)}
                </span>
              ))}
              <em className="axis-title">{time.label}</em>
            </div>
          )}
        </div>
      </div>
    </figure>
  )
}
