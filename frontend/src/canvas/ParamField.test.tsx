// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react'
import { useState } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { ParamField } from './ParamField'
import { type FormField, formFields } from './schemaForm'

afterEach(cleanup)

const [units, activation, strides] = formFields({
  properties: {
    units: { minimum: 1, type: 'integer', title: 'Units' },
    activation: { enum: ['linear', 'relu'], type: 'string', default: 'linear' },
    strides: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'null' }], default: null },
  },
  required: ['units'],
}) as [FormField, FormField, FormField]

/** A field over a stored value, with a button standing in for undo (an outside change). */
function Harness({ field, start }: { field: FormField; start: unknown }) {
  const [value, setValue] = useState<unknown>(start)
  return (
    <>
      <ParamField field={field} value={value} errors={['From the API']} onChange={setValue} onCommit={() => {}} />
      <output data-testid="stored">{JSON.stringify(value) ?? 'undefined'}</output>
      <button type="button" onClick={() => setValue(start)}>
        reset
      </button>
    </>
  )
}

const stored = () => screen.getByTestId('stored').textContent

describe('ParamField', () => {
  it('applies whole numbers as typed, keeps unparsable text unapplied, and follows outside changes', () => {
    render(<Harness field={units} start={64} />)
    const input = screen.getByRole('spinbutton', { name: 'Units' })
    fireEvent.change(input, { target: { value: '512' } })
    expect(stored()).toBe('512')
    fireEvent.change(input, { target: { value: '5.5' } })
    expect(stored()).toBe('512')
    expect(screen.getByRole('alert').textContent).toContain('Enter a whole number')
    expect(screen.getByRole('alert').textContent).toContain('From the API')
    fireEvent.click(screen.getByText('reset'))
    expect((input as HTMLInputElement).value).toBe('64')
  })

  it('offers enum choices and stores null for an emptied nullable field', () => {
    render(
      <>
        <Harness field={activation} start="linear" />
      </>,
    )
    fireEvent.change(screen.getByRole('combobox'), { target: { value: 'relu' } })
    expect(stored()).toBe('"relu"')
    cleanup()
    render(<Harness field={strides} start={2} />)
    fireEvent.change(screen.getByRole('spinbutton'), { target: { value: '' } })
    expect(stored()).toBe('null')
  })
})
